import { Router } from 'express';
import { parseOrBadRequest, rejectNestedParameters } from '../http/parse-request';
import { searchQuerySchema } from './search-request';
import { buildSearchPage, prepareSearch } from './search-page';
import type { AppDeps } from '../app-deps';
import { contentVersionFor } from '../delivery/cached-pages';
import { sendPage } from '../delivery/send-shared-page';

/** GET /search (the results page) and GET /opensearch.xml (so browsers can add the site's search). */
export function createSearchRouter(deps: AppDeps): Router {
  const router = Router();
  const { config } = deps.page;

  router.get('/search', async (req, res) => {
    const version = contentVersionFor(res, deps.pageCache);
    rejectNestedParameters(req.query, 'search');
    const query = parseOrBadRequest(searchQuerySchema, req.query, 'search');
    const directory = deps.page.content.sectionDirectory(version.version);
    const now = deps.now();
    const prepared = prepareSearch(directory, query, now);
    // The costly part on a search thread (or refused with a 503 when they are all busy); the page
    // is built and rendered here.
    const findings = await deps.searchThreads.run(prepared.task);
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
