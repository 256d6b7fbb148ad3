import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ArticleRenderWrite } from './article-renders-repository';
import { VIEWS_DIR } from '../project-paths';
import { buildArticlePage, type ArticleLookup } from './article-page-model';
import { deflatePiece } from '../delivery/gzip-pieces';
import type { PageContext } from '../site/page-context';
import type { SectionDirectory } from '../site/section-directory';
import type { TemplateRenderer } from '../site/template-renderer';

// An article page is two parts that depend on the story (its <head> and its <main>), rendered
// once and stored in SQLite (migration 0015), and the layout around them, which is the same for
// every story of a section and is kept in memory (article-layout.ts). Serving a story then costs
// two indexed reads and a join of strings, however many stories the archive holds.

export type RenderedArticle = Omit<ArticleRenderWrite, 'render_key'>;

/** Files whose change may change what a render holds: the templates and the code. */
function renderSources(): string[] {
  const files: string[] = [];
  const walk = (dir: string, extensions: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, extensions);
      else if (extensions.includes(path.extname(entry.name))) files.push(full);
    }
  };
  walk(VIEWS_DIR, ['.ejs']);
  // All the code, as it runs (src/ in tests, dist/src/ in production): page builders, the SQL that
  // chooses related stories, the helpers that write URLs all shape what is stored.
  walk(path.dirname(__dirname), ['.js', '.ts']);
  return files.sort();
}

/**
 * What a stored render must have been made with to be served: the same templates and code, the
 * same asset URLs and the same site name and address. A deploy that changes any code or template,
 * or a configuration change, gives a new key, and stories are rendered again as they are next
 * read (or by `npm run prerender`).
 */
export function computeRenderKey(context: PageContext): string {
  const hash = createHash('sha256');
  for (const file of renderSources()) hash.update(file.slice(file.lastIndexOf(path.sep) + 1)).update(fs.readFileSync(file));
  const { config, assets } = context;
  hash.update(JSON.stringify([config.siteUrl, config.siteName, ...['site.css', 'icon.svg', 'logo.png'].map((name) => assets.url(name))]));
  return hash.digest('base64url').slice(0, 22);
}

/** Renders the story-dependent parts of an article page, with what they depend on. */
export function renderArticle(
  context: PageContext,
  renderTemplate: TemplateRenderer,
  directory: SectionDirectory,
  found: Extract<ArticleLookup, { kind: 'found' }>,
  now: string,
  options: { noindex?: boolean } = {},
): RenderedArticle {
  const view = buildArticlePage(context, directory, found, now);
  // A preview (a story not yet public, seen through a signed link) is never for search engines.
  if (options.noindex) view.meta.robots = 'noindex, nofollow';
  const head = renderTemplate('partials/head', { view });
  const main = renderTemplate('partials/article-main', { view });
  const headHtml = Buffer.from(head);
  const mainHtml = Buffer.from(main);
  return {
    article_id: found.article.id,
    head_html: headHtml,
    main_html: mainHtml,
    head_deflate: deflatePiece(headHtml),
    main_deflate: deflatePiece(mainHtml),
    hash: createHash('sha1').update(head).update('\0').update(main).digest('base64url').slice(0, 20),
    surrogate_keys: view.cacheKeys.join(' '),
    fresh_until: context.content.articles.nextScheduledSharingTopics(found.article.id, now) ?? null,
    linkedIds: view.dependsOn.articleIds,
    photoIds: view.dependsOn.photoIds,
  };
}
