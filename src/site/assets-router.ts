import { Router } from 'express';
import type { AppDeps } from '../app-deps';

/** GET /assets/{name}.{hash}.{ext}: from memory, cached for a year since the name changes with the file. */
export function createAssetsRouter({ page }: AppDeps): Router {
  const router = Router();
  router.get('/assets/:name', (req, res, next) => {
    const asset = page.assets.find(req.params.name);
    if (!asset) return next();
    res.set({
      'Content-Type': asset.contentType,
      'Cache-Control': 'public, max-age=31536000, immutable',
      ETag: asset.etag,
    });
    if (req.fresh) return void res.status(304).end();
    res.send(asset.body);
  });
  return router;
}
