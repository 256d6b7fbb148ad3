import type { Request, Response } from 'express';
import type { ContentVersion } from './content-version-repository';
import type { ArticleLookup } from '../articles/article-page-model';
import type { ArticlePageResult } from '../articles/article-page-assembly';
import { PANEL_TOKEN_HOURS } from '../http/form-tokens';
import { sendAndKeep, type PageCacheDeps } from './cached-pages';

// HTTP caching for everything that is the same for every reader: Cache-Control by kind of page,
// Last-Modified, Surrogate-Key for CDN purges, and (from Express) a weak ETag of the body, so that
// conditional requests get 304 Not Modified.

const DAY = 86_400;
const CACHE_CONTROL = {
  /** Fronts, topic pages and search results change with every new story. */
  front: `public, max-age=60, stale-while-revalidate=300, stale-if-error=${DAY}`,
  /** A story in its first two days may still be edited often. */
  freshArticle: `public, max-age=300, stale-while-revalidate=3600, stale-if-error=${DAY}`,
  olderArticle: `public, max-age=3600, stale-while-revalidate=${DAY}, stale-if-error=${7 * DAY}`,
  feed: `public, max-age=300, stale-while-revalidate=3600, stale-if-error=${DAY}`,
  sitemap: `public, max-age=3600, stale-while-revalidate=${DAY}, stale-if-error=${DAY}`,
} as const;

export type CacheKind = keyof typeof CACHE_CONTROL;

// Templates and assets change only with a deploy: nothing served is older than this process.
const PROCESS_STARTED = new Date();

export type CacheOptions = {
  kind: CacheKind;
  /** The content version read before building the page. */
  content: ContentVersion;
  /** Tags a CDN can purge by: "article-12", "section-3", "promo", ... */
  surrogateKeys: readonly string[];
};

/** The Last-Modified of a shared page: its content, the deploy, and the panel token's rotation. */
export function lastModified(contentChangedAt: string, nowMs = Date.now()): Date {
  const bucketMs = PANEL_TOKEN_HOURS * 3_600_000;
  const times = [Date.parse(contentChangedAt), PROCESS_STARTED.getTime(), Math.floor(nowMs / bucketMs) * bucketMs];
  // HTTP dates have whole seconds.
  return new Date(Math.floor(Math.max(...times) / 1000) * 1000);
}

/** Cache-Control, Last-Modified and Surrogate-Key of a shared page (lower-case names). */
export function cacheHeaders(options: CacheOptions): Record<'cache-control' | 'last-modified' | 'surrogate-key', string> {
  return {
    'cache-control': CACHE_CONTROL[options.kind],
    'last-modified': lastModified(options.content.changed_at).toUTCString(),
    'surrogate-key': [...new Set(options.surrogateKeys)].join(' '),
  };
}

export function setCacheHeaders(res: Response, options: CacheOptions): void {
  res.set(cacheHeaders(options));
}

/**
 * Renders a view model with its template and sends it with the cache headers (304 when fresh),
 * keeping the result in the page cache.
 */
export function sendPage(req: Request, res: Response, cache: PageCacheDeps, template: string, view: object, options: CacheOptions): void {
  setCacheHeaders(res, options);
  res.render(template, { view }, (error: Error | null, html?: string) => {
    if (error) return req.next!(error);
    if (!res.get('Content-Type')) res.type('html');
    sendAndKeep(req, res, cache, html!, options.content.version);
  });
}

/** Sends a shared document that is not a template page (a feed, a sitemap, a joined article page) the same way. */
export function sendShared(
  req: Request,
  res: Response,
  cache: PageCacheDeps,
  body: string | Buffer,
  options: CacheOptions & { etag?: string },
): void {
  setCacheHeaders(res, options);
  sendAndKeep(req, res, cache, body, options.content.version, options.etag);
}

/** Cache-Control for an article: short while it is new, longer once it has settled. */
export function articleCacheKind(publishedAt: string, updatedAt: string | null, nowMs = Date.now()): CacheKind {
  const latest = Math.max(Date.parse(publishedAt), updatedAt ? Date.parse(updatedAt) : 0);
  return nowMs - latest < 2 * DAY * 1000 ? 'freshArticle' : 'olderArticle';
}

/** The cache headers of an article page: its lifetime follows its age. */
export function articleCacheOptions(
  found: Extract<ArticleLookup, { kind: 'found' }>,
  page: ArticlePageResult,
  options: { content: ContentVersion; now: string },
): CacheOptions {
  return {
    kind: articleCacheKind(found.article.published_at, found.article.updated_at, Date.parse(options.now)),
    content: options.content,
    surrogateKeys: page.surrogateKeys,
  };
}

/** Sends an article page joined from its stored parts (the normal path; see stored-articles.ts for the other). */
export function sendArticlePage(
  req: Request,
  res: Response,
  cache: PageCacheDeps,
  found: Extract<ArticleLookup, { kind: 'found' }>,
  page: ArticlePageResult,
  options: { content: ContentVersion; now: string },
): void {
  res.type('html');
  sendShared(req, res, cache, Buffer.concat(page.chunks), { ...articleCacheOptions(found, page, options), etag: page.etag });
}
