import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { ContentVersion } from './content-version-repository';
import type { AppDeps } from '../app-deps';
import { isSecure, pathOf, type FrontRequest } from './front-request';
import { answerFromPageCache } from './cached-pages';
import { canonicalRedirect } from './canonical-address';
import { MAX_URL_LENGTH } from '../http/request-limits';
import { securityHeaderValues } from '../http/security-headers';
import { startRequestLog } from '../http/request-log';
import { answerWithStoredArticle } from '../articles/stored-article-answer';

// Every request comes in here first. It is logged, then answered at once when the answer is
// already made, and otherwise handed to the Express app:
//   1. a page from the page cache (fronts, popular stories, feeds, search results, ...);
//   2. a search refused while the search threads are full: the kept 503 page (search-refusal.ts);
//   3. a story from its stored render (article_renders), joined with its section's layout.
// Both are the same bytes and headers the Express app sends for that page (it made them), but
// without a router, middleware or per-header bookkeeping: for a reader's uncached story these
// cost more than reading the story from SQLite. Express is skipped only for GET and HEAD.

type Locals = { requestId: string; contentVersion?: ContentVersion };

export function createFrontDoor(app: Express, deps: AppDeps): RequestListener {
  const logger: Logger = deps.logger;
  // Express's own compiled "trust proxy" setting, so that both decide "secure" alike.
  const trustProxy = app.get('trust proxy fn') as (address: string, hop: number) => boolean;

  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const path = pathOf(url);
    // Logged without its query string, which can hold a reader's token.
    const fromTrustedProxy = trustProxy(req.socket.remoteAddress ?? '', 0);
    const requestId = startRequestLog(logger, req, res, path ?? url.split('?', 1)[0]!, fromTrustedProxy);
    const locals: Locals = { requestId };
    if (req.method === 'GET' || req.method === 'HEAD') {
      try {
        const request: FrontRequest = { req, res, url, path, secure: isSecure(req, trustProxy) };
        const canonical = path === null || url.length > MAX_URL_LENGTH ? null : canonicalRedirect(url, path);
        if (canonical !== null) return redirectPermanently(request, canonical, requestId);
        if (answerFromPageCache(request, deps.pageCache, requestId)) return;
        if (deps.searchRefusal.answerAtFrontDoor(request, requestId)) return;
        const stored = answerWithStoredArticle(request, deps, requestId);
        if (stored.answered) return;
        // Read once per request: the routes reuse it (contentVersionFor).
        locals.contentVersion = stored.contentVersion;
      } catch (error) {
        // Both answers send only after everything is read, so nothing has gone out when the
        // database cannot be read: the routes answer then, with their error page.
        if (res.headersSent) {
          logger.error({ err: error, reqId: requestId, path }, 'request failed while being sent');
          res.destroy();
          return;
        }
        logger.debug({ err: error, reqId: requestId }, 'front door passed the request on');
      }
    }
    res.setHeader('X-Request-Id', requestId);
    // Express keeps res.locals when it is already there.
    (res as ServerResponse & { locals: Locals }).locals = Object.assign(Object.create(null) as Locals, locals);
    app(req, res);
  };
}

/** A 301 to the page's own address (canonical-address.ts), cacheable by browsers and CDNs alike. */
function redirectPermanently({ res, secure }: FrontRequest, location: string, requestId: string): void {
  res.writeHead(301, {
    ...securityHeaderValues(secure),
    location,
    'cache-control': 'public, max-age=86400',
    'content-length': 0,
    'x-request-id': requestId,
  });
  res.end();
}
