import { Router } from 'express';
import type { AppDeps } from '../app-deps';
import { contentVersionFor } from '../delivery/cached-pages';
import { sendPage } from '../delivery/send-shared-page';
import { listingQuerySchema } from '../fronts/listing-query';
import { parseOrBadRequest } from '../http/parse-request';
import { buildCorrectionsPage } from './corrections-page';

/** GET /corrections: the corrections of published stories, newest first (a shared, cached page). */
export function createCorrectionsRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/corrections', (req, res) => {
    const version = contentVersionFor(res, deps.pageCache);
    const { page = 1 } = parseOrBadRequest(listingQuerySchema, req.query, 'address');
    const view = buildCorrectionsPage(deps.page, deps.page.content.sectionDirectory(version.version), page, deps.now());
    sendPage(req, res, deps.pageCache, 'pages/corrections', view, { kind: 'front', content: version, surrogateKeys: view.cacheKeys });
  });
  return router;
}
