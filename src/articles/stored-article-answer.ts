import type { OutgoingHttpHeaders } from 'node:http';
import type { Request, Response } from 'express';
import type { ContentVersion } from '../delivery/content-version-repository';
import { chooseCoding } from '../delivery/accept-encoding';
import { findArticle } from './article-page-model';
import type { AppDeps } from '../app-deps';
import { sendChunks, type FrontRequest } from '../delivery/front-request';
import { cacheKey, headersExcept, keepPage, NOT_STORED } from '../delivery/cached-pages';
import { MAX_URL_LENGTH } from '../http/request-limits';
import { articleCacheOptions, cacheHeaders } from '../delivery/send-shared-page';

// Article pages whose story has a current stored render are answered in the front door, like
// cached pages: before Express, its security, limit and compression middleware and the other
// routers, which together cost a reader's uncached story more than reading it from the database
// does. The headers those would set are the same for every article page; they are taken from the
// last article page this worker served the normal way (per scheme, since only HTTPS gets HSTS),
// so the two paths cannot drift apart. A reader who accepts gzip gets the page joined from stored
// compressed pieces (gzip-pieces.ts). Anything else (a redirect, a 404, a story without a stored
// render, a reader who accepts brotli but not gzip, the first article of a worker) takes the
// normal path.

const ARTICLE_PATH = /^(?:\/[A-Za-z0-9][A-Za-z0-9-]{0,199})+\/\d{4}\/\d{4}\/[A-Za-z0-9][A-Za-z0-9-]{0,199}$/;
// Set per page below, or per response by Node.
const PER_PAGE = new Set([...NOT_STORED, 'etag', 'last-modified', 'cache-control', 'surrogate-key', 'content-type']);
const HTML = 'text/html; charset=utf-8';

/** The headers every article page carries besides its own, as the normal path last set them. */
export class ArticleHeaders {
  private readonly byScheme = new Map<boolean, Record<string, string>>();

  keep(req: Request, res: Response): void {
    this.byScheme.set(req.secure, headersExcept(res, PER_PAGE));
  }

  forScheme(secure: boolean): Record<string, string> | undefined {
    return this.byScheme.get(secure);
  }
}

/**
 * Answers a GET or HEAD for a story with a current stored render. Returns false, having sent
 * nothing, for anything else. The content version read is handed back for the routes to reuse.
 */
export function answerWithStoredArticle(
  request: FrontRequest,
  deps: AppDeps,
  articleHeaders: ArticleHeaders,
  requestId: string,
): { answered: boolean; contentVersion?: ContentVersion } {
  const { req, url, path } = request;
  if (path === null || url.length > MAX_URL_LENGTH || !ARTICLE_PATH.test(path)) return { answered: false };
  // gzip is joined from stored compressed pieces; brotli alone is the compression middleware's work.
  const coding = chooseCoding(req.headers['accept-encoding'], ['gzip', 'br']);
  if (coding === 'br') return { answered: false };
  const shared = articleHeaders.forScheme(request.secure);
  if (!shared) return { answered: false };

  const content = deps.pageCache.version();
  const directory = deps.page.content.sectionDirectory(content.version);
  const now = deps.now();
  const segments = path.split('/');
  const found = findArticle(deps.page, directory, { sectionPath: segments.slice(1, -3).join('/'), slug: segments.at(-1)!, now });
  if (found.kind === 'missing' || found.canonicalPath !== path) return { answered: false, contentVersion: content };
  const page = deps.articlePages.storedPage(directory, found, now, content.version, { gzip: coding === 'gzip' });
  if (!page) return { answered: false, contentVersion: content };

  const pageHeaders = {
    ...shared,
    ...cacheHeaders(articleCacheOptions(found, page, { content, now })),
    etag: page.etag,
    'content-type': HTML,
  };
  if (req.method === 'GET') {
    // A story read again soon is kept whole, as the normal path would keep it.
    const body = () => Buffer.concat(page.chunks);
    keepPage(deps.pageCache.cache, cacheKey(request), { headers: pageHeaders, body, etag: page.etag, contentVersion: content.version });
  }
  const headers: OutgoingHttpHeaders = { ...pageHeaders, vary: 'Accept-Encoding', 'x-request-id': requestId };
  if (page.gzipChunks) headers['content-encoding'] = 'gzip';
  sendChunks(request, headers, page.gzipChunks ?? page.chunks);
  return { answered: true };
}
