import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { FrontRequest } from '../delivery/front-request';
import type { PageCacheDeps } from '../delivery/cached-pages';
import { securityHeaderValues } from '../http/security-headers';
import { searchQuerySchema } from './search-request';
import { SEARCH_RETRY_AFTER_SECONDS, SearchBusyError, type SearchThreads } from './search-threads';

// The 503 a search gets when the search threads are full. Under a burst this is most of what the
// worker sends, so it must cost next to nothing, or refusing searches would itself slow the pages
// it protects: every refusal takes the main thread's time, the very time that pages need.
//
// - The page is rendered once per content version and minute (the chrome's promo can change by
//   the minute), by the search router through Express, and kept here as bytes.
// - While those bytes are current, the front door refuses a search before Express and the
//   search's preparation: it checks the query as the router would (a URLSearchParams walk and the
//   same zod schema, a few microseconds) and answers with the kept bytes and the same headers the
//   router would send.
// - Refusals are logged as one line per ten seconds with their count, not one line each.
// - The connection a refusal went out on is read again only after a short pause, longer for a
//   connection refused again and again (readConnectionLater).

const LOG_EVERY_MS = 10_000;
/** A refusal this soon after the end of the connection's last pause counts as one more in a row. */
const IN_A_ROW_WITHIN_MS = 1_000;
const VERSION_READ_EVERY_MS = 1_000;

export type SearchRefusal = ReturnType<typeof createSearchRefusal>;

export function createSearchRefusal(deps: {
  searchThreads: Pick<SearchThreads, 'full'>;
  pageCache: PageCacheDeps;
  /** Whether a section path names a section in this content version (search-request's checks stop short of it). */
  knowsSection: (contentVersion: number, path: string) => boolean;
  logger: Logger;
  now: () => string;
  /** SEARCH_REFUSAL_PAUSE_MS and SEARCH_REFUSAL_MAX_PAUSE_MS: see readConnectionLater. */
  pauseMs: number;
  maxPauseMs: number;
}) {
  /** By connection: when its last refusal was, and the pause that followed it. */
  const lastRefusal = new WeakMap<Socket, { atMs: number; pauseMs: number }>();
  let page: { key: string; html: Buffer } | null = null;
  let unlogged = 0;
  let lastLogged = -Infinity;
  const error = new SearchBusyError();

  // The content version, read at most once a second here: reading it for each of thousands of
  // refusals a second cost about 24 µs each (a read transaction of its own, profiled under a
  // burst of searches), and a refusal's page may show the site as it was a second ago.
  let versionRead = { version: 0, atMs: -Infinity };
  function recentVersion(): number {
    const nowMs = Date.now();
    if (nowMs - versionRead.atMs >= VERSION_READ_EVERY_MS) versionRead = { version: deps.pageCache.version().version, atMs: nowMs };
    return versionRead.version;
  }

  /** The kept page's key: the content version and the minute. */
  const keyFor = (contentVersion: number): string => `${contentVersion}:${deps.now().slice(0, 16)}`;

  /** Counts a refusal; logs the count once per LOG_EVERY_MS. */
  function logRefusal(requestId: string, path: string): void {
    unlogged += 1;
    const now = Date.now();
    if (now - lastLogged < LOG_EVERY_MS) return;
    deps.logger.warn({ reqId: requestId, path, refused: unlogged, reason: error.message }, 'request refused');
    unlogged = 0;
    lastLogged = now;
  }

  /** The headers of a refusal, from the router as from the front door. */
  const headers = (secure: boolean): Record<string, string> => ({
    ...securityHeaderValues(secure),
    'cache-control': 'no-store',
    'retry-after': String(SEARCH_RETRY_AFTER_SECONDS),
    'content-type': 'text/html; charset=utf-8',
  });

  /**
   * Reads the next request on the connection `res` goes out on only after a pause: `pauseMs` (15
   * by default) after its first refusal, twice as long after each refusal in a row on it, up to
   * `maxPauseMs` (50). A client that ignores Retry-After and asks again at once would otherwise
   * turn refusals into a loop as fast as the main thread can refuse: on the bench (50 connections
   * asking for searches past capacity), 4,000-7,000 refusals a second with no pause and 2,000 with
   * 15 ms, each costing the main thread and the client about as much as a small page, CPU that the
   * search threads, at a lower priority, needed to answer anything. The refusal itself still goes
   * out at once, other connections are not paused, and the paused connection's next request, of
   * whatever kind, waits unread in its socket and is then answered as usual. A connection refused
   * once (a reader, or a proxy's connection that carried one refused search among others) waits
   * only the first pause; one refused again and again is slowed to at most 20 requests a second.
   * Measured on the bench's mixed searches (10 s rows, alternated), the doubling with waits for a
   * thread of at most 15 ms answered 1.10-1.15 times as many as a fixed 15 ms with waits of up to
   * 40 ms, with the same p99 (under 100 ms); a pause of 15 or 30 ms had answered 1.5 times as many
   * as none (docs/scaling.md).
   */
  function readConnectionLater(res: ServerResponse): void {
    const socket = res.socket;
    if (deps.pauseMs <= 0 || !socket) return;
    const nowMs = Date.now();
    const last = lastRefusal.get(socket);
    // In a row: refused again within a second of the end of its last pause.
    const inARow = last !== undefined && nowMs - last.atMs <= last.pauseMs + IN_A_ROW_WITHIN_MS;
    const pauseMs = inARow ? Math.min(deps.maxPauseMs, last.pauseMs * 2) : deps.pauseMs;
    lastRefusal.set(socket, { atMs: nowMs, pauseMs });
    // After 'finish': Node's own finish handler resumes reading for the next request.
    res.once('finish', () => {
      if (socket.destroyed) return;
      socket.pause();
      setTimeout(() => {
        if (!socket.destroyed) socket.resume();
      }, pauseMs).unref();
    });
  }

  /** The kept page for this key, if it is the current one. */
  const keptPage = (key: string): Buffer | null => (page?.key === key ? page.html : null);

  return {
    error,
    keyFor,
    logRefusal,
    headers,
    keptPage,
    readConnectionLater,
    keep(key: string, html: string): void {
      page = { key, html: Buffer.from(html) };
    },
    /**
     * In the front door: refuses a GET or HEAD of a runnable /search while the threads are full
     * and the page is kept. False, having sent nothing, otherwise: the router decides then (bad
     * input gets its 400, a search without words its form, and a refusal whose page is not kept
     * renders it).
     */
    answerAtFrontDoor(request: FrontRequest, requestId: string): boolean {
      if (request.path !== '/search' || !deps.searchThreads.full) return false;
      const version = recentVersion();
      const html = keptPage(keyFor(version));
      if (!html || !isRunnableSearch(request.url, (path) => deps.knowsSection(version, path))) return false;
      logRefusal(requestId, request.path);
      const { res } = request;
      res.writeHead(503, { ...headers(request.secure), 'content-length': html.length, 'x-request-id': requestId });
      readConnectionLater(res);
      res.end(request.req.method === 'HEAD' ? undefined : html);
      return true;
    },
  };
}

/**
 * Whether the query string is a search the router would run: parameters it knows, each once, that
 * pass its checks (search-request.ts), with words in `q`. Anything else goes on to the router,
 * which answers it as it would at any time: bad input gets its 400 under load as without.
 */
function isRunnableSearch(url: string, knowsSection: (path: string) => boolean): boolean {
  const mark = url.indexOf('?');
  if (mark === -1) return false;
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(url.slice(mark + 1))) {
    if (key.includes('[') || Object.hasOwn(query, key)) return false;
    query[key] = value;
  }
  const parsed = searchQuerySchema.safeParse(query);
  if (!parsed.success || parsed.data.q.trim() === '') return false;
  return parsed.data.section === undefined || knowsSection(parsed.data.section);
}
