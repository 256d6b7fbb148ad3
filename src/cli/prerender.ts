// npm run prerender [-- --limit N]: renders and stores every visible story that has no current
// stored render (after a deploy or a configuration change, or an import of many stories), so that
// no reader waits for a first render. Safe while the site runs: each story is its own short
// transaction. `--limit N` stops after N stories (a re-run goes on from there).
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open-database';
import { createArticleRenderRepository } from '../articles/article-renders-repository';
import { ArticlePages } from '../articles/article-page-assembly';
import { createPageContext } from '../site/page-context';
import { createTemplateRenderer } from '../site/template-renderer';
import { systemClock } from '../clock';
import { runCommand } from './run-command';

const USAGE = 'Usage: npm run prerender [-- --limit N]';
/** A progress line this often, with the rate so far. */
const PROGRESS_EVERY = 1000;

runCommand(async () => {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log(USAGE);
    return;
  }
  let limit = Infinity;
  if (args[0] === '--limit' && args.length === 2 && /^\d+$/.test(args[1]!)) limit = Number(args[1]);
  else if (args.length > 0) throw new Error(USAGE);
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  try {
    migrate(db);
    const context = createPageContext(db, config);
    const pages = new ArticlePages(context, createArticleRenderRepository(db), createTemplateRenderer({ development: false }), {
      storeRenders: true,
    });
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const rendered = pages.renderMissing(
      systemClock().toISOString(),
      (done) => {
        if (done % PROGRESS_EVERY === 0) process.stderr.write(`rendered ${done} stories, ${Math.round(done / seconds())} a second\n`);
      },
      limit,
    );
    console.log(
      `Rendered ${rendered} stories in ${seconds().toFixed(1)} s (${Math.round(rendered / Math.max(seconds(), 0.001))} a second).`,
    );
  } finally {
    db.close();
  }
});
