import { parseArticlePath } from '../site/site-urls';

// One address per page. A query parameter that a page does not read (utm_source, x=1, ...) would
// otherwise make a new page-cache key, a new "seen once" entry and a new CDN object for the same
// bytes: with distinct values, an unbounded number of them. So an address with one is answered
// with a 301 to the address without it, before any cache is consulted, and a CDN in front caches
// that small redirect, never a second copy of the page. The same goes for the case and slash
// variants of the site's fixed pages (/SUBSCRIBE, /subscribe/): articles and sections redirect
// their own variants, since only their router knows the canonical spelling.

const SEARCH_PARAMETERS = new Set(['q', 'section', 'from', 'to', 'sort', 'page']);
const LISTING_PARAMETERS = new Set(['page']);
const NO_PARAMETERS = new Set<string>();

/** Pages with a fixed address, as they are spelled. */
const FIXED_PATHS = [
  '/subscribe',
  '/subscribe/thanks',
  '/subscribe/confirm',
  '/subscribe/confirmed',
  '/subscribe/unsubscribe',
  '/search',
  '/feeds',
  '/corrections',
];
const FIXED_BY_FOLDED = new Map(FIXED_PATHS.map((path) => [path, path]));

/**
 * The query parameters the page at `path` reads, or null where the query is left alone: the
 * per-reader pages (their links carry tokens; nothing of them is cached), the newsroom, files and /healthz.
 */
export function parametersReadBy(path: string): ReadonlySet<string> | null {
  const folded = path.toLowerCase();
  if (folded === '/search') return SEARCH_PARAMETERS;
  if (folded.startsWith('/subscribe') || folded.startsWith('/assets/') || folded.startsWith('/photos/') || folded === '/healthz')
    return null;
  // The newsroom: private pages with their own filters and links, never cached.
  if (folded === '/admin' || folded.startsWith('/admin/')) return null;
  if (folded.startsWith('/feeds') || folded.startsWith('/sitemap') || folded === '/news-sitemap.xml') return NO_PARAMETERS;
  if (folded === '/robots.txt' || folded === '/opensearch.xml') return NO_PARAMETERS;
  if (parseArticlePath(path.split('/').slice(1))) return NO_PARAMETERS;
  // The front page, section fronts and topic pages.
  return LISTING_PARAMETERS;
}

/** The query string with only the parameters in `keep`, as sent (no re-encoding): "" or "?...". */
function keptQuery(query: string, keep: ReadonlySet<string>): string {
  const pairs = query.split('&').filter((pair) => {
    const name = pair.split('=', 1)[0]!;
    try {
      return keep.has(decodeURIComponent(name.replace(/\+/g, ' ')));
    } catch {
      return false; // a malformed name is no parameter any page reads
    }
  });
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

/**
 * Where a GET for `url` (with `path`, its part before "?") should be sent instead, or null when it
 * is the page's own address.
 */
export function canonicalRedirect(url: string, path: string): string | null {
  const queryAt = url.indexOf('?');
  const query = queryAt === -1 ? '' : url.slice(queryAt + 1);
  const fixed = FIXED_BY_FOLDED.get(
    path
      .toLowerCase()
      .replace(/\/{2,}/g, '/')
      .replace(/(.)\/+$/, '$1'),
  );
  // Never anywhere but this site: "//evil.example" or "/\evil.example" in a Location header is
  // another host to a browser. A leading run of slashes becomes one; the routes 404 what is left.
  const canonicalPath = fixed ?? path.replace(/^[/\\]+/, '/');
  const keep = parametersReadBy(canonicalPath);
  const canonicalQuery = keep === null ? (queryAt === -1 ? '' : `?${query}`) : keptQuery(query, keep);
  const target = canonicalPath + canonicalQuery;
  return target === url ? null : target;
}
