import type { ContentVersion } from './content-version-repository';
import { TOKEN_PERIOD_MS, tokenPeriod } from '../http/form-tokens';

// HTTP caching for everything that is the same for every reader: Cache-Control by kind of page,
// Last-Modified and Surrogate-Key for CDN purges. (The ETag is the body's, set when it is sent.)

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
export function lastModified(contentChangedAt: string, nowMs: number): Date {
  const times = [Date.parse(contentChangedAt), PROCESS_STARTED.getTime(), tokenPeriod(nowMs) * TOKEN_PERIOD_MS];
  // HTTP dates have whole seconds.
  return new Date(Math.floor(Math.max(...times) / 1000) * 1000);
}

/** Cache-Control, Last-Modified and Surrogate-Key of a shared page (lower-case names). */
export function cacheHeaders(options: CacheOptions, nowMs: number): Record<'cache-control' | 'last-modified' | 'surrogate-key', string> {
  return {
    'cache-control': CACHE_CONTROL[options.kind],
    'last-modified': lastModified(options.content.changed_at, nowMs).toUTCString(),
    'surrogate-key': [...new Set(options.surrogateKeys)].join(' '),
  };
}

/** Cache-Control for an article: short while it is new, longer once it has settled. */
export function articleCacheKind(publishedAt: string, updatedAt: string | null, nowMs: number): CacheKind {
  const latest = Math.max(Date.parse(publishedAt), updatedAt ? Date.parse(updatedAt) : 0);
  return nowMs - latest < 2 * DAY * 1000 ? 'freshArticle' : 'olderArticle';
}
