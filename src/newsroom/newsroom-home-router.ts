import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { parseOrBadRequest } from '../http/parse-request';
import type { SectionNode } from '../site/section-directory';
import { articlePath } from '../site/site-urls';
import { newsroomSession } from './newsroom-request';
import { buildNewsroomChrome } from './newsroom-chrome';
import { requireRole } from './newsroom-roles';
import { STORY_STATES, type StoryListFilter, type StoryListRow } from './newsroom-stories-repository';

// The newsroom's reading pages: its home (recently changed, scheduled, drafts), the story list
// with its filters, and the audit log (admin).

const PAGE_SIZE = 50;
const pageNumber = z.coerce.number({ error: 'must be a page number' }).int().min(1).max(10_000).default(1);
const storyListQuery = z.object({
  status: z.enum(STORY_STATES, { error: 'must be draft, review, scheduled, published or unpublished' }).or(z.literal('')).optional(),
  section: z.coerce.number().int().positive().or(z.literal('')).optional(),
  q: z.string({ error: 'must be one search' }).max(200, 'is too long').optional(),
  page: pageNumber,
});
const auditQuery = z.object({ page: pageNumber });

const storyItem = (row: StoryListRow) => ({
  id: row.id,
  headline: row.headline,
  section: row.sectionName,
  state: row.state,
  editUrl: `/admin/stories/${row.id}`,
  url: row.state === 'published' || row.state === 'scheduled' ? articlePath(row.sectionPath, row.publishedAt, row.slug) : null,
  when:
    row.state === 'scheduled'
      ? `goes live ${row.publishedAt.slice(0, 16).replace('T', ' ')} UTC`
      : `changed ${row.changedAt.slice(0, 16).replace('T', ' ')} UTC`,
});

function flatten(nodes: readonly SectionNode[], depth = 0): { id: number; name: string }[] {
  return nodes.flatMap((node) => [{ id: node.id, name: `${'– '.repeat(depth)}${node.name}` }, ...flatten(node.children, depth + 1)]);
}

function pagination(base: URLSearchParams, page: number, total: number) {
  const totalPages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const at = (n: number) => {
    const params = new URLSearchParams(base);
    if (n > 1) params.set('page', String(n));
    else params.delete('page');
    const query = params.toString();
    return query ? `?${query}` : '?';
  };
  return { page, totalPages, previousUrl: page > 1 ? at(page - 1) : null, nextUrl: page < totalPages ? at(page + 1) : null };
}

export function createNewsroomHomeRouter(deps: AppDeps): Router {
  const router = Router();
  const { page, newsroomStories } = deps;

  router.get('/admin', (req, res) => {
    const session = newsroomSession(res.locals);
    const now = deps.now();
    const list = (filter: Omit<StoryListFilter, 'now'>) => newsroomStories.list({ ...filter, now }, 10, 0).map(storyItem);
    res.render('newsroom/home', {
      view: {
        title: 'Home',
        chrome: buildNewsroomChrome(page, session, '/admin'),
        lists: [
          { id: 'scheduled', heading: 'Scheduled', empty: 'Nothing is scheduled.', stories: list({ state: 'scheduled' }) },
          { id: 'review', heading: 'Drafts to review', empty: 'Nothing is waiting for review.', stories: list({ state: 'review' }) },
          { id: 'drafts', heading: 'Drafts', empty: 'There are no drafts.', stories: list({ state: 'draft' }) },
          { id: 'recent', heading: 'Recently changed', empty: 'No stories yet.', stories: list({}) },
        ],
      },
    });
  });

  router.get('/admin/stories', (req, res) => {
    const session = newsroomSession(res.locals);
    const query = parseOrBadRequest(storyListQuery, req.query, 'story list');
    const filter: StoryListFilter = {
      state: query.status || undefined,
      sectionId: query.section || undefined,
      headline: query.q?.trim() || undefined,
      now: deps.now(),
    };
    const total = newsroomStories.count(filter);
    const base = new URLSearchParams();
    if (filter.state) base.set('status', filter.state);
    if (filter.sectionId) base.set('section', String(filter.sectionId));
    if (filter.headline) base.set('q', filter.headline);
    res.render('newsroom/stories', {
      view: {
        title: 'Stories',
        chrome: buildNewsroomChrome(page, session, '/admin/stories'),
        filter: { status: filter.state ?? '', section: filter.sectionId ?? '', q: filter.headline ?? '' },
        states: STORY_STATES,
        sections: flatten(page.content.sectionDirectory().topLevel),
        total,
        stories: newsroomStories.list(filter, PAGE_SIZE, (query.page - 1) * PAGE_SIZE).map(storyItem),
        pagination: pagination(base, query.page, total),
      },
    });
  });

  router.get('/admin/audit', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'admin');
    const query = parseOrBadRequest(auditQuery, req.query, 'audit log');
    const total = deps.newsroom.audit.count();
    res.render('newsroom/audit', {
      view: {
        title: 'Audit log',
        chrome: buildNewsroomChrome(page, session, '/admin/audit'),
        entries: deps.newsroom.audit.page(PAGE_SIZE, (query.page - 1) * PAGE_SIZE),
        pagination: pagination(new URLSearchParams(), query.page, total),
      },
    });
  });

  return router;
}
