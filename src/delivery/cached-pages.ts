import type { OutgoingHttpHeaders } from 'node:http';
import type { Request, Response } from 'express';
import type { ContentVersion } from './content-version-repository';
import { tokenPeriod } from '../http/form-tokens';
import { weakEtag, type PageCache } from './page-cache';
import { sendChunks, type FrontRequest } from './front-request';

// The HTTP side of the page cache: answering from it in the front door (before Express), and
// keeping what the shared pages render.

// Headers that belong to one response, not to the page.
export const NOT_STORED = new Set([
  'x-request-id',
  'set-cookie',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'date',
]);

export type PageCacheDeps = {
  cache: PageCache;
  version: () => ContentVersion;
  /** The site's one clock (app.ts), in milliseconds: lifetimes and token periods follow it. */
  nowMs: () => number;
};

// Over HTTPS a page carries HSTS; over HTTP it must not: the two are kept apart.
export const cacheKey = (request: { secure: boolean; originalUrl?: string; url: string }) =>
  `${request.secure ? 'https' : 'http'} ${request.originalUrl ?? request.url}`;

/** The response's headers as plain strings, without those named in `except` (lower case). */
export function headersExcept(res: Response, except: ReadonlySet<string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (!except.has(name) && value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}

/** The content version this request is served under: read once per request, by whoever asks first. */
export function contentVersionFor(res: Response, { version }: PageCacheDeps): ContentVersion {
  return ((res.locals as { contentVersion?: ContentVersion }).contentVersion ??= version());
}

/**
 * Answers a GET or HEAD from the cache when it holds a current copy (304 when the reader's is
 * current), in the front door. Returns false, having sent nothing, when it does not.
 */
export function answerFromPageCache(request: FrontRequest, { cache, version, nowMs }: PageCacheDeps, requestId: string): boolean {
  const key = cacheKey(request);
  // Most misses are stories read once: they cost a map lookup, not a database read.
  if (!cache.has(key)) return false;
  const now = nowMs();
  // A database that cannot be read throws here: the front door lets the routes answer (503).
  const entry = cache.get(key, version().version, tokenPeriod(now), now);
  if (!entry) return false;
  const { body, encoding } = cache.encoded(entry, request.req.headers['accept-encoding']);
  const headers: OutgoingHttpHeaders = { ...entry.headers, vary: 'Accept-Encoding', 'x-request-id': requestId };
  if (encoding) headers['content-encoding'] = encoding;
  sendChunks(request, headers, [body]);
  return true;
}

/**
 * Keeps a page rendered for everyone, from its second request on. `headers` are the page's own,
 * none of one response's (NOT_STORED); `body` is asked for only when the page is kept.
 */
export function keepPage(
  { cache, nowMs }: PageCacheDeps,
  key: string,
  page: { headers: Record<string, string>; body: () => Buffer; etag: string; contentVersion: number },
): void {
  if (!cache.admits(key)) return;
  const now = nowMs();
  // Rendered under the version read before rendering: if it changed meanwhile, the entry is stale at once.
  cache.set(key, {
    status: 200,
    headers: page.headers,
    body: page.body(),
    etag: page.etag,
    version: page.contentVersion,
    period: tokenPeriod(now),
    expiresAt: now + cache.ttlMs,
  });
}

/**
 * Sends a rendered shared page with its ETag and keeps it in the cache. The headers set so far
 * (security headers, Cache-Control, Last-Modified, Surrogate-Key, type) are kept with it.
 */
export function sendAndKeep(
  req: Request,
  res: Response,
  cache: PageCacheDeps,
  body: string | Buffer,
  contentVersion: number,
  knownEtag?: string,
): void {
  const buffer = typeof body === 'string' ? Buffer.from(body) : body;
  // A page joined from parts with hashes of their own (an article) has its ETag already.
  const etag = knownEtag ?? weakEtag(buffer);
  res.set('ETag', etag);
  if (req.method === 'GET' && res.statusCode === 200) {
    keepPage(cache, cacheKey(req), { headers: headersExcept(res, NOT_STORED), body: () => buffer, etag, contentVersion });
  }
  res.send(buffer);
}
