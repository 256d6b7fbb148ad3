import { Router } from 'express';
import { parseOrBadRequest, rejectNestedParameters } from '../http/parse-request';
import { searchQuerySchema } from './search-request';
import { buildSearchPage } from './search-page';
import type { AppDeps } from '../app-deps';
import { contentVersionFor } from '../delivery/cached-pages';
import { sendPage } from '../delivery/send-shared-page';

/** GET /search (the results page) and GET /opensearch.xml (so browsers can add the site's search). */
export function createSearchRouter(deps: AppDeps): Router {
  const router = Router();
  const { search } = deps;
  const { config } = deps.page;

  router.get('/search', (req, res) => {
    const version = contentVersionFor(res, deps.pageCache);
    rejectNestedParameters(req.query, 'search');
    const query = parseOrBadRequest(searchQuerySchema, req.query, 'search');
    const view = buildSearchPage(deps.page, search, deps.page.content.sectionDirectory(version.version), query, deps.now());
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
