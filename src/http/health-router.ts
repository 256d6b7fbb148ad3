import { Router } from 'express';
import type { AppDeps } from '../app-deps';

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
  return router;
}
