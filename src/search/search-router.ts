import { Router, type Request, type Response } from 'express';
import { parseOrBadRequest, rejectNestedParameters } from '../http/parse-request';
import { searchQuerySchema } from './search-request';
import { buildSearchPage, prepareSearch } from './search-page';
import type { AppDeps } from '../app-deps';
import { contentVersionFor } from '../delivery/cached-pages';
import { sendShared } from '../delivery/send-shared-page';
import { buildErrorPage } from '../site/error-page';
import { SearchBusyError } from './search-threads';

/** GET /search (the results page) and GET /opensearch.xml (so browsers can add the site's search). */
export function createSearchRouter(deps: AppDeps): Router {
  const router = Router();
  const { config } = deps.page;
  const sendSearchBusy = createSearchBusyAnswer(deps);

  router.get('/search', async (req, res) => {
    const version = contentVersionFor(res, deps.pageCache);
    rejectNestedParameters(req.query, 'search');
    const query = parseOrBadRequest(searchQuerySchema, req.query, 'search');
    const directory = deps.page.content.sectionDirectory(version.version);
    const now = deps.now();
    const prepared = prepareSearch(directory, query, now);
    // The costly part on a search thread (or refused with a 503 when they are all busy); the page
    // is built here, and rendered into its kept layout.
    let findings;
    try {
      findings = await deps.searchThreads.run(prepared.task);
    } catch (error) {
      if (error instanceof SearchBusyError) return sendSearchBusy(req, res);
      throw error;
    }
    const view = buildSearchPage(deps.page, directory, query, prepared, findings, now);
    const page = deps.searchLayout.page(directory, { now, version: version.version }, view);
    res.type('html');
    sendShared(req, res, deps.pageCache, page.body, { kind: 'front', content: version, surrogateKeys: view.cacheKeys, etag: page.etag });
  });

  router.get('/opensearch.xml', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400');
    res.type('application/opensearchdescription+xml');
    res.render('opensearch', { view: { siteName: config.siteName, siteUrl: config.siteUrl, iconUrl: deps.page.assets.url('icon.svg') } });
  });

  return router;
}

/**
 * The 503 of a search refused in the router (the front door refuses most, while the page is
 * kept): renders the page in the site's layout when it is not kept yet, and keeps it.
 */
export function createSearchBusyAnswer(deps: Pick<AppDeps, 'page' | 'pageCache' | 'now' | 'logger' | 'searchRefusal'>) {
  const refusal = deps.searchRefusal;
  return function sendSearchBusy(req: Request, res: Response): void {
    refusal.logRefusal(res.locals.requestId as string, req.path);
    const key = refusal.keyFor(contentVersionFor(res, deps.pageCache).version);
    res.status(503).set(refusal.headers(req.secure));
    refusal.readConnectionLater(res);
    const kept = refusal.keptPage(key);
    if (kept) {
      res.send(kept);
      return;
    }
    res.render(
      'errors/error',
      { view: buildErrorPage(deps.page, refusal.error, deps.now()) },
      (renderError: Error | null, html?: string) => {
        if (renderError) {
          deps.logger.error({ err: renderError, reqId: res.locals.requestId }, 'error page failed to render');
          res.type('text/plain').send(`${refusal.error.message}\n`);
          return;
        }
        refusal.keep(key, html!);
        res.send(html);
      },
    );
  };
}
