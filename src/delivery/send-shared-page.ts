import type { Request, Response } from 'express';
import { cacheHeaders, type CacheOptions } from './cache-headers';
import { sendAndKeep, type PageCacheDeps } from './cached-pages';

// Sending a page that is the same for every reader from the routes: its cache headers, then its
// body with an ETag, kept in the page cache (cached-pages.ts) from its second request on.

function setCacheHeaders(res: Response, cache: PageCacheDeps, options: CacheOptions): void {
  res.set(cacheHeaders(options, cache.nowMs()));
}

/**
 * Renders a view model with its template and sends it with the cache headers (304 when fresh),
 * keeping the result in the page cache.
 */
export function sendPage(req: Request, res: Response, cache: PageCacheDeps, template: string, view: object, options: CacheOptions): void {
  setCacheHeaders(res, cache, options);
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
  setCacheHeaders(res, cache, options);
  sendAndKeep(req, res, cache, body, options.content.version, options.etag);
}
