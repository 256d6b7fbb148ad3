import { Router } from 'express';
import type { AppDeps } from './app-deps';

/**
 * GET /photos/{sha256}-{width}w.{jpg|webp}. Only names of exactly that shape are looked up, so
 * no request can name a file outside the photo folder; a variant that does not exist is a 404.
 */
export function createPhotosRouter({ photoStore }: AppDeps): Router {
  const router = Router();
  router.get('/photos/:name', (req, res, next) => {
    const file = photoStore.variantPath(req.params.name);
    if (!file) return next();
    res.sendFile(file, { maxAge: '365d', immutable: true, dotfiles: 'deny' });
  });
  return router;
}
