import { Router } from 'express';
import type { AppDeps } from '../app-deps';
import { ServiceUnavailableError } from '../errors';

/** What a cache node answers in the site's layout when the origin cannot be reached. */
const EDGE_UNAVAILABLE_MESSAGE = 'The site cannot be reached for a moment. Nothing you sent was received: please try again in a minute.';

/** GET /healthz: 200 when the database answers a read, 503 when it does not. */
export function createHealthRouter({ db, logger }: AppDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      db.prepare('SELECT count(*) FROM schema_migrations').get();
      res.type('text/plain').send('ok\n');
    } catch (error) {
      logger.error({ err: error }, 'health check could not read the database');
      res.status(503).type('text/plain').send('database unavailable\n');
    }
  });
  // The page `npm run edge` fetches once and gives Varnish, which answers it (503) when the origin
  // is down and a page is not in its cache or cannot be cached (a sign-up). Never cached itself.
  router.get('/healthz/edge-error-page', (_req, _res, next) => {
    next(Object.assign(new ServiceUnavailableError(EDGE_UNAVAILABLE_MESSAGE), { deliberate: true, retryAfterSeconds: 30 }));
  });
  return router;
}
