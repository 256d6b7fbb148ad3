import type { OutgoingHttpHeaders } from 'node:http';
import { chooseCoding } from '../delivery/accept-encoding';
import type { ContentVersion } from '../delivery/content-version-repository';
import { cacheKey, keepPage } from '../delivery/cached-pages';
import { sendChunks, type FrontRequest } from '../delivery/front-request';
import { MAX_URL_LENGTH } from '../http/request-limits';
import { parseArticlePath } from '../site/site-urls';
import type { AppDeps } from '../app-deps';
import { articlePageHeaders } from './article-page-headers';
import { findArticle } from './article-page-model';

// Article pages whose story has a current stored render are answered in the front door, like
// cached pages: before Express, its security, limit and compression middleware and the other
// routers, which together cost a reader's uncached story more than reading it from the database
// does. The address is read by the same parseArticlePath, and the headers made by the same
// articlePageHeaders, as the router's (articles-and-sections-router.ts), so the two paths cannot
// drift apart. A reader who accepts gzip gets the page joined from stored compressed pieces
// (delivery/gzip-pieces.ts). Anything else (a redirect, a 404, a story without a stored render,
// a reader who accepts brotli but not gzip) takes the router's path.

/**
 * Answers a GET or HEAD for a story with a current stored render. Returns false, having sent
 * nothing, for anything else. The content version read is handed back for the routes to reuse.
 */
export function answerWithStoredArticle(
  request: FrontRequest,
  deps: AppDeps,
  requestId: string,
): { answered: boolean; contentVersion?: ContentVersion } {
  const { req, url, path } = request;
  if (path === null || url.length > MAX_URL_LENGTH) return { answered: false };
  // Undecoded: a percent-encoded address is never canonical, so the router redirects it.
  const address = parseArticlePath(path.split('/').slice(1));
  if (!address) return { answered: false };
  // gzip is joined from stored compressed pieces; brotli alone is the compression middleware's work.
  const coding = chooseCoding(req.headers['accept-encoding'], ['gzip', 'br']);
  if (coding === 'br') return { answered: false };

  const content = deps.pageCache.version();
  const directory = deps.page.content.sectionDirectory(content.version);
  const now = deps.now();
  const found = findArticle(deps.page, directory, { ...address, now });
  if (found.kind === 'missing' || found.canonicalPath !== path) return { answered: false, contentVersion: content };
  const page = deps.articlePages.storedPage(directory, found, now, content.version, { gzip: coding === 'gzip' });
  if (!page) return { answered: false, contentVersion: content };

  const pageHeaders = articlePageHeaders(found, page, { secure: request.secure, content, now });
  if (req.method === 'GET') {
    // A story read again soon is kept whole, as the router's path would keep it.
    const body = () => Buffer.concat(page.chunks);
    keepPage(deps.pageCache, cacheKey(request), { headers: pageHeaders, body, etag: page.etag, contentVersion: content.version });
  }
  const headers: OutgoingHttpHeaders = { ...pageHeaders, vary: 'Accept-Encoding', 'x-request-id': requestId };
  if (page.gzipChunks) headers['content-encoding'] = 'gzip';
  sendChunks(request, headers, page.gzipChunks ?? page.chunks);
  return { answered: true };
}
