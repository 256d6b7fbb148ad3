import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors';
import type { SectionNode } from '../site/section-directory';
import { articlePath } from '../site/site-urls';
import { buildNewsroomChrome } from './newsroom-chrome';
import { newsroomSession } from './newsroom-request';
import { roleAtLeast } from './newsroom-roles';
import type { NewsroomSession } from './newsroom-sessions';
import { BODY_FORMAT_HELP } from './story-body-format';
import { storyState, type SaveResult, type StoryErrors } from './story-editor';
import {
  formName,
  revisionSchema,
  storyActionSchema,
  storyFormValues,
  STORY_FIELDS,
  STORY_LABELS,
  type StoryFormValues,
} from './story-form';

// The story editor: /admin/stories/new and /admin/stories/{id}. Every save names the revision it
// started from; the editor decides what the actor may do (story-editor.ts), whatever buttons the
// page showed.

const storyId = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31);
/** How long a preview link works. */
export const PREVIEW_LINK_MS = 72 * 60 * 60_000;
const NOTICES: Record<string, string> = {
  save: 'Saved.',
  submit: 'Submitted for review.',
  publish: 'Published.',
  schedule: 'Scheduled.',
  unpublish: 'Unpublished: it has left the site.',
  unchanged: 'Nothing had changed; nothing was saved.',
  restored: 'Restored: that revision is saved as the newest one; the version it replaced is kept in the list.',
  'restore-failed':
    'That revision cannot be restored as it was (a photo or a slug it used has changed since): open it in the list and copy what you need.',
};

function flatten(nodes: readonly SectionNode[], depth = 0): { id: number; name: string }[] {
  return nodes.flatMap((node) => [{ id: node.id, name: `${'– '.repeat(depth)}${node.name}` }, ...flatten(node.children, depth + 1)]);
}

export function createStoriesRouter(deps: AppDeps): Router {
  const router = Router();
  const { page, storyEditor } = deps;

  type EditorView = {
    id: number | null;
    values: StoryFormValues;
    errors: StoryErrors;
    revision: number;
    /** The correction note as typed (kept when the form comes back). */
    correction?: string;
    notice: string | null;
    conflict?: Extract<SaveResult, { kind: 'conflict' }>;
    previewLink?: { url: string; until: string } | null;
  };

  function render(req: Request, res: Response, status: number, session: NewsroomSession, editor: EditorView) {
    const row = editor.id === null ? undefined : storyEditor.find(editor.id);
    const state = row ? storyState(row, deps.now()) : 'draft';
    const canPublish = roleAtLeast(session.user.role, 'editor');
    const live = row?.status === 'published';
    const buttons = [
      ...(!live ? [{ action: 'save', label: 'Save draft' }] : []),
      ...(!live && state !== 'in review' ? [{ action: 'submit', label: 'Submit for review' }] : []),
      ...(canPublish
        ? [
            { action: 'publish', label: 'Publish' },
            { action: 'schedule', label: 'Schedule' },
          ]
        : []),
      ...(canPublish && live ? [{ action: 'unpublish', label: 'Unpublish' }] : []),
    ];
    const fields = STORY_FIELDS.map((field) => ({
      key: field,
      id: `story-${formName(field).replace(/_/g, '-')}`,
      name: formName(field),
      label: STORY_LABELS[field],
      value: editor.values[field],
      error: editor.errors[field] ?? null,
    }));
    const errorList = fields.filter((field) => field.error).map((field) => ({ id: field.id, message: field.error! }));
    if (editor.errors.correction) errorList.push({ id: 'story-correction', message: editor.errors.correction });
    res.status(status).render('newsroom/story-editor', {
      view: {
        title: editor.id === null ? 'New story' : `Edit: ${editor.values.headline || 'story'}`,
        chrome: buildNewsroomChrome(page, session, '/admin/stories'),
        action: editor.id === null ? '/admin/stories/new' : `/admin/stories/${editor.id}`,
        fields: Object.fromEntries(fields.map((field) => [field.key, field])),
        errorList,
        sections: flatten(page.content.sectionDirectory().topLevel),
        bodyHelp: BODY_FORMAT_HELP,
        revision: editor.revision,
        state,
        buttons,
        notice: editor.notice,
        correction: {
          value: editor.correction ?? '',
          error: editor.errors.correction ?? null,
          show: live || editor.errors.correction !== undefined,
          existing:
            editor.id === null
              ? []
              : storyEditor.corrections(editor.id).map((note) => ({ date: note.notedAt.slice(0, 10), text: note.text })),
        },
        previewLink: editor.previewLink ?? null,
        previewAction: editor.id === null ? null : `/admin/stories/${editor.id}/preview-link`,
        publicUrl: row && row.status === 'published' ? articlePath(row.sectionPath, row.publishedAt, row.slug) : null,
        revisionsUrl: editor.id !== null && canPublish ? `/admin/stories/${editor.id}/revisions` : null,
        conflict: editor.conflict
          ? {
              savedBy: editor.conflict.savedBy,
              savedAt: editor.conflict.savedAt.replace('T', ' ').slice(0, 19),
              rows: STORY_FIELDS.filter((field) => editor.conflict!.current[field] !== editor.values[field]).map((field) => ({
                label: STORY_LABELS[field],
                theirs: editor.conflict!.current[field],
                yours: editor.values[field],
              })),
            }
          : null,
      },
    });
  }

  const blank = (): StoryFormValues => ({
    headline: '',
    deck: '',
    byline: '',
    source: '',
    creditLine: '',
    sectionId: '',
    slug: '',
    topics: '',
    heroPhoto: '',
    body: '',
    publishAt: '',
  });

  router.get('/admin/stories/new', (req, res) => {
    const session = newsroomSession(res.locals);
    render(req, res, 200, session, { id: null, values: blank(), errors: {}, revision: 0, notice: null });
  });

  const findOr404 = (raw: string) => {
    const id = storyId.safeParse(raw);
    const row = id.success ? storyEditor.find(id.data) : undefined;
    if (!row) throw new NotFoundError('There is no such story.');
    return row;
  };

  router.get('/admin/stories/:id', (req, res) => {
    const session = newsroomSession(res.locals);
    const row = findOr404(req.params.id);
    if (!roleAtLeast(session.user.role, 'editor') && row.authorId !== session.user.id) {
      return render(req, res, 403, session, {
        id: row.id,
        values: storyEditor.formValues(row),
        errors: {},
        revision: row.revision,
        notice: 'Writers open their own stories only.',
      });
    }
    // Own keys only: ?saved=constructor must not show Object's source.
    const saved = typeof req.query.saved === 'string' && Object.hasOwn(NOTICES, req.query.saved) ? NOTICES[req.query.saved]! : null;
    const preview = typeof req.query.preview === 'string' ? page.tokens.verifyPreviewToken(req.query.preview, deps.nowMs()) : null;
    const previewLink =
      preview && preview !== 'expired' && preview.articleId === row.id
        ? {
            url: `${page.config.siteUrl}/preview/${req.query.preview as string}`,
            until: new Date(preview.expiresMs).toISOString().slice(0, 16).replace('T', ' '),
          }
        : null;
    render(req, res, 200, session, {
      id: row.id,
      values: storyEditor.formValues(row),
      errors: {},
      revision: row.revision,
      notice: saved,
      previewLink,
    });
  });

  function handleSave(req: Request, res: Response, id: number | null) {
    const session = newsroomSession(res.locals);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const action = storyActionSchema.safeParse(body.action);
    const revision = revisionSchema.safeParse(body.revision ?? '0');
    if (!action.success || !revision.success)
      throw new BadRequestError('The story form was not sent whole. Reload the page and try again.');
    const values = storyFormValues(body);
    const correction = typeof body.correction === 'string' ? body.correction.slice(0, 5_000) : '';
    const result = storyEditor.save(session.user, id, values, action.data, revision.data, deps.nowMs(), correction);
    if (result.kind === 'invalid') {
      return render(req, res, 422, session, { id, values, errors: result.errors, revision: revision.data, notice: null, correction });
    }
    if (result.kind === 'conflict') {
      // Nothing of theirs is overwritten and nothing of yours is lost: both are on the page, and
      // the form (with your text) now names their revision, so saving it again is a choice.
      return render(req, res, 409, session, {
        id,
        values,
        errors: {},
        revision: result.revision,
        notice: null,
        conflict: result,
        correction,
      });
    }
    res.redirect(303, `/admin/stories/${result.id}?saved=${result.changed ? action.data : 'unchanged'}`);
  }

  // A signed link to the story as it will look, for someone without an account (preview-router.ts).
  router.post('/admin/stories/:id/preview-link', (req, res) => {
    const session = newsroomSession(res.locals);
    const row = findOr404(req.params.id);
    if (!roleAtLeast(session.user.role, 'editor') && row.authorId !== session.user.id)
      throw new ForbiddenError('Writers share their own stories only.');
    const token = page.tokens.previewToken(row.id, deps.nowMs() + PREVIEW_LINK_MS);
    res.redirect(303, `/admin/stories/${row.id}?preview=${token}`);
  });

  router.post('/admin/stories/new', (req, res) => handleSave(req, res, null));
  router.post('/admin/stories/:id', (req, res) => handleSave(req, res, findOr404(req.params.id).id));

  return router;
}
