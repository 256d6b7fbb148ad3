import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { NotFoundError } from '../errors';
import { foundArticle } from '../articles/article-page-model';
import { buildNewsroomChrome } from '../newsroom/newsroom-chrome';
import { fieldErrors } from '../newsroom/newsroom-forms';
import { newsroomSession } from '../newsroom/newsroom-request';
import { requireRole } from '../newsroom/newsroom-roles';
import type { NewsroomSession } from '../newsroom/newsroom-sessions';
import type { TargetedPromo } from '../site/promos-repository';
import { promoView } from '../site/site-chrome';
import { PROMO_PLACEMENTS, promoFormSchema, promoFormValues, type PromoFormValues } from './promo-form';

// /admin/promos (editors and admins): the sidebar promos, created, edited, previewed on an
// article page before they go live, and retired.

const promoId = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31);

const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

function promoState(promo: TargetedPromo, now: string): string {
  if (promo.ends_at !== null && promo.ends_at <= now) return 'Ended';
  if (promo.starts_at > now) return 'Scheduled';
  return 'Running';
}

function valuesOf(promo: TargetedPromo): PromoFormValues {
  return {
    seriesName: promo.series_name,
    tagline: promo.series_tagline,
    headline: promo.headline,
    summary: promo.summary,
    link: promo.link_url,
    photo: promo.photo_id === null ? '' : String(promo.photo_id),
    placement: promo.placement,
    sections: promo.sectionIds,
    startsAt: promo.starts_at.slice(0, 16),
    endsAt: promo.ends_at?.slice(0, 16) ?? '',
    weight: String(promo.weight),
  };
}

export function createPromosRouter(deps: AppDeps): Router {
  const router = Router();
  const { page, promoEditor: promos } = deps;

  const sectionOptions = () => {
    const directory = page.content.sectionDirectory();
    const options: { id: number; name: string }[] = [];
    const walk = (nodes: typeof directory.topLevel) => {
      for (const node of nodes) {
        options.push({
          id: node.id,
          name: directory
            .trail(node)
            .map((n) => n.name)
            .join(' › '),
        });
        walk(node.children);
      }
    };
    walk(directory.topLevel);
    return options;
  };

  function renderEditor(
    res: Response,
    session: NewsroomSession,
    status: number,
    form: { promo?: TargetedPromo; values: PromoFormValues; errors: Record<string, string>; notice?: string | null },
  ) {
    const now = deps.now();
    res.status(status).render('newsroom/promo-editor', {
      view: {
        title: form.promo ? `Promo ${form.promo.id}: ${form.promo.headline}` : 'New promo',
        chrome: buildNewsroomChrome(page, session, '/admin/promos'),
        action: form.promo ? `/admin/promos/${form.promo.id}` : '/admin/promos',
        retireAction: form.promo && promoState(form.promo, now) !== 'Ended' ? `/admin/promos/${form.promo.id}/retire` : null,
        previewUrl: form.promo ? `/admin/promos/${form.promo.id}/preview` : null,
        state: form.promo ? promoState(form.promo, now) : null,
        placements: PROMO_PLACEMENTS,
        sections: sectionOptions(),
        values: form.values,
        errors: form.errors,
        notice: form.notice ?? null,
      },
    });
  }

  const findPromo = (id: string | undefined): TargetedPromo => {
    const parsed = promoId.safeParse(id);
    const promo = parsed.success ? promos.find(parsed.data) : undefined;
    if (!promo) throw new NotFoundError('There is no such promo.');
    return promo;
  };

  router.get('/admin/promos', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'editor');
    const now = deps.now();
    const names = new Map(sectionOptions().map((section) => [section.id, section.name]));
    const retired = typeof req.query.retired === 'string' && /^\d{1,9}$/.test(req.query.retired) ? req.query.retired : null;
    res.render('newsroom/promos', {
      view: {
        title: 'Promos',
        chrome: buildNewsroomChrome(page, session, '/admin/promos'),
        notice: retired ? `Promo ${retired} is retired: it shows on no page from now on.` : null,
        promos: promos.list(now).map((promo) => ({
          url: `/admin/promos/${promo.id}`,
          headline: promo.headline,
          seriesName: promo.series_name,
          state: promoState(promo, now),
          runs: promo.ends_at ? `${utc(promo.starts_at)} to ${utc(promo.ends_at)}` : `from ${utc(promo.starts_at)}, until retired`,
          sections: promo.sectionIds.length === 0 ? 'Everywhere' : promo.sectionIds.map((id) => names.get(id) ?? `#${id}`).join(', '),
          weight: promo.weight,
        })),
      },
    });
  });

  router.get('/admin/promos/new', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'editor');
    const values = promoFormValues({ placement: 'sidebar', weight: '1', startsAt: deps.now().slice(0, 16) });
    renderEditor(res, session, 200, { values, errors: {} });
  });

  router.get('/admin/promos/:id', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'editor');
    const promo = findPromo(req.params.id);
    const notice = req.query.saved === '1' ? 'Promo saved. Pages show the change from now on.' : null;
    renderEditor(res, session, 200, { promo, values: valuesOf(promo), errors: {}, notice });
  });

  const save = (id: number | null) => (req: Request, res: Response) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'editor');
    const promo = id === null ? undefined : findPromo(String(id));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = promoFormValues(body);
    const parsed = promoFormSchema.safeParse(body);
    if (!parsed.success) return renderEditor(res, session, 422, { promo, values, errors: fieldErrors(parsed.error) });
    const saved = promos.save(session.user, id, parsed.data, deps.now());
    if (!saved.ok) return renderEditor(res, session, 422, { promo, values, errors: saved.errors });
    res.redirect(303, `/admin/promos/${saved.id}?saved=1`);
  };

  router.post('/admin/promos', save(null));
  router.post('/admin/promos/:id', (req, res) => save(findPromo(req.params.id).id)(req, res));

  router.post('/admin/promos/:id/retire', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'editor');
    const promo = findPromo(req.params.id);
    promos.retire(session.user, promo.id, deps.now());
    res.redirect(303, `/admin/promos?retired=${promo.id}`);
  });

  // The promo in the sidebar of an article page, whether or not it runs yet: the newest story of
  // the first section it targets (or of the site), as readers of that section will see it.
  router.get('/admin/promos/:id/preview', (req, res) => {
    const session = newsroomSession(res.locals);
    requireRole(session, 'editor');
    const promo = findPromo(req.params.id);
    const now = deps.now();
    const directory = page.content.sectionDirectory();
    const articles = page.content.articles;
    const target = promo.sectionIds.length > 0 ? directory.byIdOrThrow(promo.sectionIds[0]!) : undefined;
    const [newest] = target ? articles.listLatestInSections(directory.subtreeIds(target), now, 1) : articles.listLatest(now, 1);
    const story = newest && articles.findVisibleById(newest.id, now);
    if (!story) throw new NotFoundError('There is no published story to preview this promo on yet.');
    const result = deps.articlePages.preview(directory, foundArticle(directory, story), now, deps.pageCache.version().version, {
      promo: promoView(page.content, promo),
    });
    res.type('html').send(Buffer.concat(result.chunks));
  });

  return router;
}
