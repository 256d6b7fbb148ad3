import { Router } from 'express';
import type { AppDeps } from '../app-deps';

/**
 * GET /photos/{sha256}-{width}w.{jpg|webp}. Only names of exactly that shape are looked up, so
 * no request can name a file outside the photo folder; a variant that does not exist is a 404.
 * The file is sent by its name under `root`: `send` then applies its dotfile rule to the name the
 * reader sent alone. Given an absolute path it judges every folder on it, and so answered 403 for
 * every photo when the operator keeps data under a dot folder such as ~/.local/share.
 */
export function createPhotosRouter({ photoStore }: AppDeps): Router {
  const router = Router();
  router.get('/photos/:name', (req, res, next) => {
    const name = req.params.name;
    if (!photoStore.hasVariant(name)) return next();
    res.sendFile(name, { root: photoStore.dir, maxAge: '365d', immutable: true, dotfiles: 'deny' });
  });
  return router;
}
