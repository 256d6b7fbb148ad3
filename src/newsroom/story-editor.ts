import type { Db } from '../db/open-database';
import { ForbiddenError, NotFoundError } from '../errors';
import { createArticleWriter, type StoryToWrite } from '../articles/article-writer';
import { slugifyTopic, type BodyBlock } from '../articles/article-body';
import { createSectionRepository } from '../site/sections-repository';
import { createNewsroomAuditRepository } from './newsroom-audit-repository';
import { createCorrectionsRepository } from '../articles/corrections-repository';
import { roleAtLeast } from './newsroom-roles';
import type { NewsroomUser } from './newsroom-users-repository';
import { formatBody, parseBody } from './story-body-format';
import { createStoryEditingRepository, type EditableStoryRow, type NewsroomState } from './story-editing-repository';
import { slugFromHeadline, storyFormSchema, type StoryAction, type StoryFormValues } from './story-form';

// Saving a story from the editor: who may do what (checked here, whatever the page offered),
// the revision check that turns a second, conflicting save into a conflict page, the state the
// action leads to, the write itself (articles/article-writer.ts, as imports do), a revision and an
// audit entry, all in one transaction. Saving without a change changes nothing at all.

export type StoryStateName = 'draft' | 'in review' | 'scheduled' | 'published' | 'unpublished';

export type SaveResult =
  | { kind: 'saved'; id: number; changed: boolean }
  | { kind: 'invalid'; errors: StoryErrors }
  | { kind: 'conflict'; current: StoryFormValues; revision: number; savedBy: string; savedAt: string };

type Actor = Pick<NewsroomUser, 'id' | 'email' | 'role'>;
/** Problems by field: the story's fields, and the correction note typed with the save. */
export type StoryErrors = Partial<Record<keyof StoryFormValues | 'correction', string>>;

const photoIdsIn = (blocks: readonly BodyBlock[]): number[] => blocks.flatMap((block) => (block.type === 'photo' ? [block.photoId] : []));

export function storyState(row: Pick<EditableStoryRow, 'status' | 'publishedAt' | 'newsroomState'>, now: string): StoryStateName {
  if (row.status === 'published') return row.publishedAt > now ? 'scheduled' : 'published';
  return row.newsroomState === 'review' ? 'in review' : row.newsroomState === 'unpublished' ? 'unpublished' : 'draft';
}

export function createStoryEditor(db: Db) {
  const repo = createStoryEditingRepository(db);
  const writer = createArticleWriter(db);
  const sections = createSectionRepository(db);
  const audit = createNewsroomAuditRepository(db);
  const corrections = createCorrectionsRepository(db);

  /** The editor's fields for a stored story. */
  function formValues(row: EditableStoryRow): StoryFormValues {
    return {
      headline: row.headline,
      deck: row.deck,
      byline: row.byline,
      source: row.source,
      creditLine: row.creditLine,
      sectionId: String(row.sectionId),
      slug: row.slug,
      topics: repo.topicNames(row.id).join('\n'),
      heroPhoto: row.heroPhotoId === null ? '' : String(row.heroPhotoId),
      body: formatBody(JSON.parse(row.bodyJson) as BodyBlock[]),
      publishAt: row.publishedAt.slice(0, 19),
    };
  }

  /** Refuses what the actor's role does not allow; the page hides those buttons too. */
  function checkAllowed(actor: Actor, existing: EditableStoryRow | undefined, action: StoryAction): void {
    if (roleAtLeast(actor.role, 'editor')) return;
    if (action !== 'save' && action !== 'submit') throw new ForbiddenError('Publishing, scheduling and unpublishing need the editor role.');
    if (existing && (existing.authorId !== actor.id || existing.status === 'published')) {
      throw new ForbiddenError('Writers edit their own drafts only.');
    }
  }

  /**
   * Saves the editor's form with `action`. `correction`, when not empty, is a dated note added to
   * a published story (shown on it and at /corrections), which also dates the story.
   */
  function save(
    actor: Actor,
    id: number | null,
    values: StoryFormValues,
    action: StoryAction,
    revision: number,
    nowMs: number,
    correction = '',
  ): SaveResult {
    const now = new Date(nowMs).toISOString();
    return db
      .transaction((): SaveResult => {
        const existing = id === null ? undefined : repo.find(id);
        if (id !== null && !existing) throw new NotFoundError('There is no such story.');
        checkAllowed(actor, existing, action);
        if (existing && existing.revision !== revision) {
          const last = repo.revisions(existing.id)[0];
          return {
            kind: 'conflict',
            current: formValues(existing),
            revision: existing.revision,
            savedBy: last?.email ?? 'an import',
            savedAt: last?.savedAt ?? '',
          };
        }

        const parsed = storyFormSchema.safeParse(values);
        const errors: StoryErrors = {};
        if (!parsed.success) {
          for (const issue of parsed.error.issues) errors[issue.path[0] as keyof StoryFormValues] ??= issue.message;
          return { kind: 'invalid', errors };
        }
        const form = parsed.data;
        const section = sections.listAll().find((candidate) => candidate.id === form.sectionId);
        if (!section) errors.sectionId = 'Choose a section';
        const slug = form.slug || slugFromHeadline(form.headline);
        if (section && repo.slugTaken(section.id, slug, existing?.id ?? 0))
          errors.slug = `Another story in ${section.name} has the slug ${slug}: choose another`;
        if (form.heroPhoto !== null && !repo.photoExists(form.heroPhoto))
          errors.heroPhoto = `There is no photo ${form.heroPhoto} in the library`;
        const topics = form.topics.map((name) => ({ name, slug: slugifyTopic(name) }));
        if (topics.some((topic) => topic.slug === '')) errors.topics = 'A topic name needs a letter or a digit';
        const body = parseBody(form.body, repo.photoExists);
        if ('error' in body) errors.body = body.error;
        // A photo newly placed must have its words (alt text, caption, credit): one an import
        // brought without a caption or credit stays where it was, but goes nowhere new.
        const placedBefore = new Set(existing ? [existing.heroPhotoId, ...photoIdsIn(JSON.parse(existing.bodyJson) as BodyBlock[])] : []);
        const wordless = (id: number) => !placedBefore.has(id) && repo.photoExists(id) && !repo.photoHasWords(id);
        if (form.heroPhoto !== null && wordless(form.heroPhoto))
          errors.heroPhoto = `Photo ${form.heroPhoto} has no caption or credit yet: it cannot be placed until it has them`;
        const wordlessInBody = 'blocks' in body ? photoIdsIn(body.blocks).find(wordless) : undefined;
        if (wordlessInBody !== undefined && !errors.body)
          errors.body = `Photo ${wordlessInBody} has no caption or credit yet: it cannot be placed until it has them`;
        if (action === 'schedule' && (form.publishAt === null || form.publishAt <= now))
          errors.publishAt = 'Choose a time in the future to schedule';
        if (action === 'unpublish' && existing?.status !== 'published')
          errors.publishAt = 'Only a published or scheduled story can be unpublished';
        const note = correction.trim();
        if (note.length > 2000) errors.correction = 'A correction has at most 2,000 characters';
        if (Object.keys(errors).length > 0 || 'error' in body || !section) return { kind: 'invalid', errors };

        const wasLive = existing?.status === 'published' && existing.publishedAt <= now;
        let status: 'draft' | 'published' = existing?.status ?? 'draft';
        let publishedAt = existing?.publishedAt ?? form.publishAt ?? now;
        let newsroomState: NewsroomState = existing?.newsroomState ?? null;
        if (action === 'submit') [status, newsroomState] = ['draft', 'review'];
        if (action === 'publish') [status, publishedAt, newsroomState] = ['published', wasLive ? publishedAt : now, null];
        if (action === 'schedule') [status, publishedAt, newsroomState] = ['published', form.publishAt!, null];
        if (action === 'unpublish') [status, newsroomState] = ['draft', 'unpublished'];
        if (action === 'save' && status === 'draft' && form.publishAt !== null) publishedAt = form.publishAt;

        if (note !== '' && !(existing && status === 'published' && publishedAt <= now)) {
          return { kind: 'invalid', errors: { correction: 'A correction is added to a published story: publish it first' } };
        }
        const oldSlugs = existing ? repo.oldSlugs(existing.id) : [];
        // A story readers have seen keeps answering at its old address (a 301 to the new one).
        if (
          existing &&
          existing.status === 'published' &&
          existing.slug.toLowerCase() !== slug.toLowerCase() &&
          !oldSlugs.includes(existing.slug)
        ) {
          oldSlugs.push(existing.slug);
        }
        const story: StoryToWrite = {
          sectionId: section.id,
          slug,
          headline: form.headline,
          deck: form.deck,
          byline: form.byline,
          source: form.source,
          creditLine: form.creditLine,
          body: body.blocks,
          topics,
          heroPhotoId: form.heroPhoto,
          status,
          publishedAt,
          updatedAt: existing?.updatedAt ?? null,
          oldSlugs,
        };
        let written = writer.write(story, existing?.id);
        const isLive = status === 'published' && publishedAt <= now;
        // A change to a story readers have seen, or a correction, dates it (dateModified).
        if ((written.outcome === 'updated' && wasLive && isLive) || note !== '')
          written = writer.write({ ...story, updatedAt: now }, existing!.id);
        if (note !== '') {
          corrections.add({ articleId: written.id, text: note, notedAt: now, userId: actor.id, email: actor.email });
          audit.add({
            at: now,
            userId: actor.id,
            email: actor.email,
            action: 'added correction',
            subject: `story ${written.id}`,
            detail: note,
          });
        }
        const changed = written.outcome !== 'unchanged' || note !== '' || newsroomState !== (existing?.newsroomState ?? null);
        if (!changed) return { kind: 'saved', id: written.id, changed: false };

        const nextRevision = (existing?.revision ?? 0) + 1;
        repo.setNewsroom(written.id, newsroomState, nextRevision, existing ? null : actor.id);
        const saved = repo.find(written.id)!;
        repo.addRevision({
          articleId: written.id,
          revision: nextRevision,
          userId: actor.id,
          email: actor.email,
          savedAt: now,
          action,
          snapshot: JSON.stringify(formValues(saved)),
        });
        const verb = {
          save: 'saved',
          submit: 'submitted for review',
          publish: 'published',
          schedule: 'scheduled',
          unpublish: 'unpublished',
        }[action];
        audit.add({
          at: now,
          userId: actor.id,
          email: actor.email,
          action: `${verb} story`,
          subject: `story ${written.id}`,
          detail: form.headline,
        });
        return { kind: 'saved', id: written.id, changed: true };
      })
      .immediate();
  }

  return {
    find: (id: number) => repo.find(id),
    corrections: (id: number) => corrections.forArticle(id),
    formValues,
    revisions: (id: number) => repo.revisions(id),
    save,
  };
}

export type StoryEditor = ReturnType<typeof createStoryEditor>;
