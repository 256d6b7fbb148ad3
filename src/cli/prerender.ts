// npm run prerender: renders and stores every visible story that has no current stored render
// (after a deploy or a configuration change, or an import of many stories), so that no reader
// waits for a first render. Safe while the site runs: each story is its own short transaction.
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open-database';
import { createArticleRenderRepository } from '../articles/article-renders-repository';
import { ArticlePages } from '../articles/article-page-assembly';
import { createPageContext } from '../site/page-context';
import { createTemplateRenderer } from '../site/template-renderer';
import { systemClock } from '../clock';
import { runCommand } from './run-command';

runCommand(async () => {
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  try {
    migrate(db);
    const context = createPageContext(db, config);
    const pages = new ArticlePages(context, createArticleRenderRepository(db), createTemplateRenderer({ development: false }), {
      storeRenders: true,
    });
    const started = performance.now();
    const rendered = pages.renderMissing(systemClock().toISOString(), (done) => {
      if (done % 10_000 === 0) process.stderr.write(`rendered ${done} stories\n`);
    });
    console.log(`Rendered ${rendered} stories in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    db.close();
  }
});
