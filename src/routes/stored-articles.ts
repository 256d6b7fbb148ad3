import type { Request, RequestHandler, Response } from 'express';
import { findArticle } from '../services/article-page';
import type { AppDeps } from './app-deps';
import { contentVersionFor, headersExcept, NOT_STORED } from './page-cache';
import { MAX_URL_LENGTH } from './request-limits';
import { sendArticlePage } from './send-page';

// Article pages whose story has a current stored render are answered early, like cached pages
// (page-cache.ts): before the security, limit and compression middleware and the other routers,
// which together cost a reader's uncached story more than reading it from the database does.
// The headers those would set are the same for every article page; they are taken from the
// last article page this worker served the normal way (per scheme, since only HTTPS gets HSTS),
// so the two paths cannot drift apart. Anything else (a redirect, a 404, a story without a
// stored render, a compressed response, the first article of a worker) takes the normal path.

const ARTICLE_PATH = /^(?:\/[A-Za-z0-9][A-Za-z0-9-]{0,199})+\/\d{4}\/\d{4}\/[A-Za-z0-9][A-Za-z0-9-]{0,199}$/;
const COMPRESSIBLE = /\b(?:br|gzip)\b/;
// Set per page by sendShared, or per response by Node and Express.
const PER_PAGE = new Set([...NOT_STORED, 'etag', 'last-modified', 'cache-control', 'surrogate-key', 'content-type']);

/** The headers every article page carries besides its own, as the normal path last set them. */
export class ArticleHeaders {
  private readonly byScheme = new Map<boolean, Record<string, string>>();

  keep(req: Request, res: Response): void {
    this.byScheme.set(req.secure, headersExcept(res, PER_PAGE));
  }

  forRequest(req: Request): Record<string, string> | undefined {
    return this.byScheme.get(req.secure);
  }
}

export function serveStoredArticle(deps: AppDeps, articleHeaders: ArticleHeaders): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.originalUrl.length > MAX_URL_LENGTH || !ARTICLE_PATH.test(req.path)) return next();
    // Compression is the compression middleware's work: such requests take the normal path.
    if (COMPRESSIBLE.test(req.get('accept-encoding') ?? '')) return next();
    const headers = articleHeaders.forRequest(req);
    if (!headers) return next();
    try {
      const version = contentVersionFor(res, deps.pageCache);
      const directory = deps.page.content.sectionDirectory(version.version);
      const now = deps.now();
      const parts = req.path.split('/');
      const found = findArticle(deps.page, directory, { sectionPath: parts.slice(1, -3).join('/'), slug: parts.at(-1)!, now });
      if (found.kind === 'missing' || found.canonicalPath !== req.path) return next();
      const page = deps.articlePages.storedPage(directory, found, now, version.version);
      if (!page) return next();
      res.set(headers);
      sendArticlePage(req, res, deps.pageCache, found, page, { content: version, now });
    } catch {
      // The database cannot be read, or the like: the normal path answers (with its error page).
      next();
    }
  };
}
