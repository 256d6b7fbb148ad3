import type { Request, RequestHandler, Response } from 'express';
import type { ContentVersion } from '../repositories/content-version';
import { PANEL_TOKEN_HOURS } from '../services/form-tokens';
import { weakEtag, type PageCache } from '../services/page-cache';

// The HTTP side of the page cache: answering from it early (before any other middleware), and
// keeping what the shared pages render.

const PERIOD_MS = PANEL_TOKEN_HOURS * 3_600_000;
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

export type PageCacheDeps = { cache: PageCache; version: () => ContentVersion };

// Over HTTPS a page carries HSTS; over HTTP it must not: the two are kept apart.
const cacheKey = (req: Request) => `${req.secure ? 'https' : 'http'} ${req.originalUrl}`;

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

/** Answers GET and HEAD from the cache when it holds a current copy (304 when the client's is current). */
export function servePageFromCache({ cache, version }: PageCacheDeps): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const now = Date.now();
    let current: number;
    try {
      current = contentVersionFor(res, { cache, version }).version;
    } catch {
      // The database cannot be read: let the routes answer (with their 503 or error page).
      return next();
    }
    const entry = cache.get(cacheKey(req), current, Math.floor(now / PERIOD_MS), now);
    if (!entry) return next();
    res.set(entry.headers);
    // req.fresh compares the request's If-None-Match / If-Modified-Since with the headers just set.
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    const { body, encoding } = cache.encoded(entry, req.get('accept-encoding'));
    res.set('Vary', 'Accept-Encoding');
    if (encoding) res.set('Content-Encoding', encoding);
    res.status(entry.status).set('Content-Length', String(body.length));
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

/**
 * Sends a rendered shared page with its ETag and keeps it in the cache. The headers set so far
 * (security headers, Cache-Control, Last-Modified, Surrogate-Key, type) are kept with it.
 */
export function sendAndKeep(
  req: Request,
  res: Response,
  { cache }: PageCacheDeps,
  body: string | Buffer,
  contentVersion: number,
  knownEtag?: string,
): void {
  const buffer = typeof body === 'string' ? Buffer.from(body) : body;
  // A page joined from parts with hashes of their own (an article) has its ETag already.
  const etag = knownEtag ?? weakEtag(buffer);
  res.set('ETag', etag);
  if (req.method === 'GET' && res.statusCode === 200 && cache.admits(cacheKey(req))) {
    const headers = headersExcept(res, NOT_STORED);
    const now = Date.now();
    // Rendered under the version read before rendering: if it changed meanwhile, the entry is stale at once.
    cache.set(cacheKey(req), {
      status: 200,
      headers,
      body: buffer,
      etag,
      version: contentVersion,
      period: Math.floor(now / PERIOD_MS),
      expiresAt: now + cache.ttlMs,
    });
  }
  res.send(buffer);
}
