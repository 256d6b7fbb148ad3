import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { NotFoundError } from '../errors';
import { buildNewsroomChrome } from './newsroom-chrome';
import { newsroomSession } from './newsroom-request';
import { requireRole } from './newsroom-roles';
import { STORY_FIELDS, STORY_LABELS, type StoryFormValues } from './story-form';

// A story's revisions: the list (who, when, what they did), two compared side by side, and
// "Restore this revision", which saves that revision's fields as a new one (nothing is lost:
// the version it replaces stays in the list).

const number = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31);
const compareQuery = z.object({ a: number.optional(), b: number.optional() });

export function createRevisionsRouter(deps: AppDeps): Router {
  const router = Router();
  const { page, storyEditor } = deps;

  const findStory = (raw: string) => {
    const id = number.safeParse(raw);
    const row = id.success ? storyEditor.find(id.data) : undefined;
    if (!row) throw new NotFoundError('There is no such story.');
    return row;
  };

  router.get('/admin/stories/:id/revisions', (req: Request, res: Response) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'editor');
    const story = findStory(req.params.id as string);
    const revisions = storyEditor.revisions(story.id);
    const query = compareQuery.safeParse(req.query);
    const byNumber = new Map(revisions.map((revision) => [revision.revision, revision]));
    // By default the newest against the one before it.
    const a = byNumber.get((query.success && query.data.a) || (revisions[1]?.revision ?? 0));
    const b = byNumber.get((query.success && query.data.b) || (revisions[0]?.revision ?? 0));
    const snapshot = (json: string) => JSON.parse(json) as StoryFormValues;
    const comparison =
      a && b
        ? STORY_FIELDS.map((field) => ({
            label: STORY_LABELS[field],
            a: snapshot(a.snapshot)[field],
            b: snapshot(b.snapshot)[field],
            changed: snapshot(a.snapshot)[field] !== snapshot(b.snapshot)[field],
          }))
        : null;
    res.render('newsroom/revisions', {
      view: {
        title: `Revisions: ${story.headline}`,
        chrome: buildNewsroomChrome(page, session, '/admin/stories'),
        storyUrl: `/admin/stories/${story.id}`,
        headline: story.headline,
        currentRevision: story.revision,
        revisions: revisions.map((revision) => ({
          number: revision.revision,
          email: revision.email,
          savedAt: revision.savedAt.replace('T', ' ').slice(0, 19),
          action: revision.action,
          restoreUrl: `/admin/stories/${story.id}/revisions/${revision.revision}/restore`,
          current: revision.revision === story.revision,
        })),
        compare: comparison && a && b ? { a: a.revision, b: b.revision, rows: comparison } : null,
        options: revisions.map((revision) => revision.revision),
      },
    });
  });

  router.post('/admin/stories/:id/revisions/:revision/restore', (req: Request, res: Response) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'editor');
    const story = findStory(req.params.id as string);
    const wanted = number.safeParse(req.params.revision);
    const revision = wanted.success ? storyEditor.revisions(story.id).find((r) => r.revision === wanted.data) : undefined;
    if (!revision) throw new NotFoundError('There is no such revision.');
    const values = JSON.parse(revision.snapshot) as StoryFormValues;
    const result = storyEditor.save(session.user, story.id, values, 'save', story.revision, deps.nowMs());
    if (result.kind !== 'saved') {
      // The revision no longer fits (a photo deleted since, a slug taken): say so on the editor.
      return res.redirect(303, `/admin/stories/${story.id}?saved=restore-failed`);
    }
    res.redirect(303, `/admin/stories/${story.id}?saved=${result.changed ? 'restored' : 'unchanged'}`);
  });

  return router;
}
