import { Router, type Request, type Response } from 'express';
import { parseOrBadRequest, rejectNestedParameters } from '../http/parse-request';
import { searchQuerySchema } from './search-request';
import { buildSearchPage, prepareSearch } from './search-page';
import type { AppDeps } from '../app-deps';
import { contentVersionFor } from '../delivery/cached-pages';
import { sendPage } from '../delivery/send-shared-page';
import { buildErrorPage } from '../site/error-page';
import { SEARCH_RETRY_AFTER_SECONDS, SearchBusyError } from './search-threads';

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
    // is built and rendered here.
    let findings;
    try {
      findings = await deps.searchThreads.run(prepared.task);
    } catch (error) {
      if (error instanceof SearchBusyError) return sendSearchBusy(req, res);
      throw error;
    }
    const view = buildSearchPage(deps.page, directory, query, prepared, findings, now);
    sendPage(req, res, deps.pageCache, 'pages/search', view, {
      kind: 'front',
      content: version,
      surrogateKeys: view.cacheKeys,
    });
  });

  router.get('/opensearch.xml', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400');
    res.type('application/opensearchdescription+xml');
    res.render('opensearch', { view: { siteName: config.siteName, siteUrl: config.siteUrl, iconUrl: deps.page.assets.url('icon.svg') } });
  });

  return router;
}

// The 503 a search gets when the search threads are full. Under a burst this is most of what the
// worker sends, so it must cost next to nothing, or refusing searches would itself slow the pages
// it protects: the page is rendered once per content version and minute (the chrome's promo can
// change by the minute) and sent from memory, and the refusals are logged as one line per ten
// seconds with their count, not one line each.

const LOG_EVERY_MS = 10_000;

export function createSearchBusyAnswer(deps: Pick<AppDeps, 'page' | 'pageCache' | 'now' | 'logger'>) {
  let cached: { key: string; html: string } | null = null;
  let unlogged = 0;
  let lastLogged = -Infinity;
  const error = new SearchBusyError();

  function logRefusal(req: Request, res: Response): void {
    unlogged += 1;
    const now = Date.now();
    if (now - lastLogged < LOG_EVERY_MS) return;
    deps.logger.warn({ reqId: res.locals.requestId, path: req.path, refused: unlogged, reason: error.message }, 'request refused');
    unlogged = 0;
    lastLogged = now;
  }

  return function sendSearchBusy(req: Request, res: Response): void {
    logRefusal(req, res);
    const now = deps.now();
    const key = `${contentVersionFor(res, deps.pageCache).version}:${now.slice(0, 16)}`;
    res.status(503).set({ 'Cache-Control': 'no-store', 'Retry-After': String(SEARCH_RETRY_AFTER_SECONDS) });
    if (cached?.key === key) {
      res.type('html').send(cached.html);
      return;
    }
    res.render('errors/error', { view: buildErrorPage(deps.page, error, now) }, (renderError: Error | null, html?: string) => {
      if (renderError) {
        deps.logger.error({ err: renderError, reqId: res.locals.requestId }, 'error page failed to render');
        res.type('text/plain').send(`${error.message}\n`);
        return;
      }
      cached = { key, html: html! };
      res.type('html').send(html);
    });
  };
}
