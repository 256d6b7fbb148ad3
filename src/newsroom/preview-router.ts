import { Router } from 'express';
import type { AppDeps } from '../app-deps';
import { HttpError, NotFoundError } from '../errors';
import { foundArticle } from '../articles/article-page-model';

// /preview/{token}: a story as it will look, for anyone holding the signed link (a source, a
// lawyer, an editor on a phone), whatever its state and without an account, until the link's
// time runs out. Never cached, never indexed.

export function createPreviewRouter(deps: AppDeps): Router {
  const router = Router();
  const { page, storyEditor, articlePages } = deps;

  router.get('/preview/:token', (req, res) => {
    res.locals.privatePage = true;
    res.set({ 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex, nofollow' });
    const checked = page.tokens.verifyPreviewToken(req.params.token, deps.nowMs());
    if (checked === 'expired') throw new HttpError(410, 'Link expired', 'This preview link has expired. Ask the newsroom for a new one.');
    const story = checked ? storyEditor.find(checked.articleId) : undefined;
    if (!story) throw new NotFoundError('This preview link does not work.');
    const directory = page.content.sectionDirectory();
    const found = foundArticle(directory, {
      id: story.id,
      section_id: story.sectionId,
      slug: story.slug,
      status: story.status,
      published_at: story.publishedAt,
      updated_at: story.updatedAt,
    });
    const result = articlePages.preview(directory, found, deps.now(), deps.pageCache.version().version);
    res.type('html').send(Buffer.concat(result.chunks));
  });

  return router;
}
