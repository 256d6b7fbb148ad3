import * as cheerio from 'cheerio';
import request from 'supertest';
import { CachePurger } from '../../src/edge/cache-purger';
import { startEdgeSync, type EdgeSync } from '../../src/edge/edge-sync';
import { articlePath } from '../../src/site/site-urls';
import { capturedLog } from '../helpers/captured-log';
import { addNewsroomUser, getAs, postAs, SAME_ORIGIN, signIn, type NewsroomBrowser } from '../helpers/newsroom';
import { createTestSite, TEST_NOW, type TestSite } from '../helpers/test-site';

// Sidebar promos run from the newsroom: who may change them, what a bad form gets, the sections
// a promo targets (a section includes its subsections), its start and end to the minute, the
// preview before it goes live, retiring one, and text escaped where it shows.

let site: TestSite;
let clock: Date;
let editor: NewsroomBrowser;
let writer: NewsroomBrowser;
let sync: EdgeSync;
const log = capturedLog('info');

const minutesFromNow = (minutes: number) => new Date(clock.getTime() + minutes * 60_000).toISOString().slice(0, 16);

function storyIn(sectionPath: string): string {
  const row = site.db
    .prepare<[string], { path: string; published_at: string; slug: string }>(
      `SELECT s.path, a.published_at, a.slug FROM articles a JOIN sections s ON s.id = a.section_id
       WHERE s.path = ? AND a.status = 'published' ORDER BY a.published_at DESC LIMIT 1`,
    )
    .get(sectionPath)!;
  return articlePath(row.path, row.published_at, row.slug);
}
const sectionId = (path: string) => site.db.prepare<[string], number>('SELECT id FROM sections WHERE path = ?').pluck().get(path)!;
const promoHeadline = async (pathname: string) => {
  const res = await request(site.app).get(pathname);
  expect(res.status).toBe(200);
  return cheerio.load(res.text)('.promo .promo__headline').first().text().trim() || null;
};

const FORM = {
  seriesName: 'Hometown Heroes',
  tagline: 'People who show up.',
  headline: 'A library that never closes',
  summary: 'Volunteers keep the lights on.',
  link: '/USA/Politics',
  photo: '',
  placement: 'sidebar',
  startsAt: '',
  endsAt: '',
  weight: '5',
};

beforeAll(async () => {
  clock = new Date(TEST_NOW);
  site = await createTestSite({ now: () => clock });
  await addNewsroomUser(site, 'editor@news.example', 'editor');
  await addNewsroomUser(site, 'writer@news.example', 'writer');
  editor = await signIn(site, 'editor@news.example');
  writer = await signIn(site, 'writer@news.example');
  const purger = new CachePurger({ nodes: [], secret: '', logger: log.logger });
  sync = startEdgeSync({ db: site.db, purger, logger: log.logger, now: () => clock, intervalMs: 3_600_000 });
  // The seeded promo runs everywhere: retired first, so that what each page shows is only ours.
  const seeded = site.db.prepare<[], number>('SELECT id FROM promos ORDER BY id LIMIT 1').pluck().get()!;
  expect((await postAs(site, editor, `/admin/promos/${seeded}/retire`, {})).status).toBe(303);
});
afterAll(async () => {
  await sync.stop();
  await site.close();
});

test('a writer can neither see nor change promos; a post without the form token is refused', async () => {
  expect((await getAs(site, writer, '/admin/promos')).status).toBe(403);
  expect((await postAs(site, writer, '/admin/promos', { ...FORM, startsAt: minutesFromNow(0) })).status).toBe(403);
  const forged = await request(site.app)
    .post('/admin/promos')
    .set({ ...SAME_ORIGIN, Cookie: editor.cookie })
    .type('form')
    .send({ ...FORM, startsAt: minutesFromNow(0) });
  expect(forged.status).toBe(403);
  expect(site.db.prepare("SELECT count(*) FROM promos WHERE series_name = 'Hometown Heroes'").pluck().get()).toBe(0);
});

test('a bad form is refused field by field, keeps what was typed, and writes nothing', async () => {
  const before = site.db.prepare('SELECT count(*) FROM promos').pluck().get();
  const cases: [Record<string, string | string[]>, string, RegExp][] = [
    [{ link: '//evil.example/phish' }, 'link', /starting with \//],
    [{ link: 'javascript:alert(1)' }, 'link', /starting with \//],
    [{ headline: '   ' }, 'headline', /Write the headline/],
    [{ startsAt: 'tomorrow' }, 'startsAt', /2026-12-24T10:00/],
    [{ startsAt: minutesFromNow(60), endsAt: minutesFromNow(30) }, 'endsAt', /after the start/],
    [{ photo: '999999' }, 'photo', /no photo 999999/],
    [{ sections: ['99999'] }, 'sections', /from the list/],
    [{ weight: '0' }, 'weight', /1 to 1,000/],
    [{ placement: 'popup' }, 'placement', /where the promo shows/],
  ];
  for (const [change, field, message] of cases) {
    const res = await postAs(site, editor, '/admin/promos', { ...FORM, startsAt: minutesFromNow(0), ...change } as Record<string, string>);
    expect(res.status).toBe(422);
    const $ = cheerio.load(res.text);
    expect($(`#promo-${field}-error`).text()).toMatch(message);
    expect($('#error-summary a').first().attr('href')).toBe(`#promo-${field}`);
    expect($('#promo-headline').val()).toBe(typeof change.headline === 'string' ? change.headline : FORM.headline);
  }
  expect(site.db.prepare('SELECT count(*) FROM promos').pluck().get()).toBe(before);
});

test('a promo targeted at USA shows on USA and USA/Politics pages and nowhere else, from its start to its end to the minute', async () => {
  const startsAt = minutesFromNow(10);
  const endsAt = minutesFromNow(20);
  const created = await postAs(site, editor, '/admin/promos', { ...FORM, startsAt, endsAt, sections: String(sectionId('USA')) });
  expect(created.status).toBe(303);
  const id = Number(/\/admin\/promos\/(\d+)/.exec(created.headers.location!)![1]);
  const politics = storyIn('USA/Politics');
  const world = storyIn('World/Asia-Pacific');

  // Scheduled: not on any page yet, and the newsroom says so.
  expect(await promoHeadline(politics)).toBeNull();
  expect(
    cheerio
      .load((await getAs(site, editor, `/admin/promos/${id}`)).text)('.newsroom-meta')
      .text(),
  ).toContain('Scheduled');

  clock = new Date(`${startsAt}:00.000Z`);
  await sync.tick();
  expect(await promoHeadline(politics)).toBe(FORM.headline);
  expect(await promoHeadline('/USA')).toBe(FORM.headline);
  expect(await promoHeadline('/USA/Politics')).toBe(FORM.headline);
  expect(await promoHeadline(world)).toBeNull();
  expect(await promoHeadline('/World')).toBeNull();
  expect(await promoHeadline('/')).toBeNull();

  clock = new Date(Date.parse(`${endsAt}:00.000Z`) - 1);
  await sync.tick();
  expect(await promoHeadline(politics)).toBe(FORM.headline);
  clock = new Date(`${endsAt}:00.000Z`);
  await sync.tick();
  expect(await promoHeadline(politics)).toBeNull();
  expect(await promoHeadline('/USA')).toBeNull();
  expect(log.text()).toContain('promos started or ended');
});

test('an editor previews a scheduled promo on an article page of its section; readers do not see it', async () => {
  const created = await postAs(site, editor, '/admin/promos', {
    ...FORM,
    headline: 'Coming soon <script>alert(1)</script>',
    startsAt: minutesFromNow(60 * 24),
    sections: String(sectionId('World')),
  });
  expect(created.status).toBe(303);
  const id = Number(/\/admin\/promos\/(\d+)/.exec(created.headers.location!)![1]);
  const preview = await getAs(site, editor, `/admin/promos/${id}/preview`);
  expect(preview.status).toBe(200);
  expect(preview.headers['cache-control']).toBe('private, no-store');
  const $ = cheerio.load(preview.text);
  expect($('.promo').text()).toContain('Coming soon <script>alert(1)</script>');
  expect(preview.text).not.toContain('<script>alert(1)</script>');
  expect($('meta[name="robots"]').attr('content')).toContain('noindex');
  expect($('link[rel="canonical"]').attr('href')).toContain('/World/');
  expect(await promoHeadline(storyIn('World/Asia-Pacific'))).toBeNull();
  expect((await request(site.app).get(`/admin/promos/${id}/preview`)).status).toBe(303); // signed out: to the sign-in page
  expect((await getAs(site, writer, `/admin/promos/${id}/preview`)).status).toBe(403);
});

test('retiring a running promo takes it off every page at once, and the audit log says who did what', async () => {
  const created = await postAs(site, editor, '/admin/promos', { ...FORM, headline: 'Retire me', startsAt: minutesFromNow(0) });
  const id = Number(/\/admin\/promos\/(\d+)/.exec(created.headers.location!)![1]);
  expect(await promoHeadline('/')).toBe('Retire me');
  const edited = await postAs(site, editor, `/admin/promos/${id}`, { ...FORM, headline: 'Retire me, edited', startsAt: minutesFromNow(0) });
  expect(edited.status).toBe(303);
  expect(await promoHeadline('/')).toBe('Retire me, edited');
  const retired = await postAs(site, editor, `/admin/promos/${id}/retire`, {});
  expect(retired.status).toBe(303);
  expect(await promoHeadline('/')).toBeNull();
  const list = cheerio.load((await getAs(site, editor, retired.headers.location!)).text);
  expect(list('.newsroom-notice').text()).toContain(`Promo ${id} is retired`);
  const actions = site.db
    .prepare<[string], string>('SELECT action FROM newsroom_audit WHERE subject = ? ORDER BY id')
    .pluck()
    .all(`promo ${id}`);
  expect(actions).toEqual(['created promo', 'changed promo', 'retired promo']);
  expect((await getAs(site, editor, '/admin/promos/99999')).status).toBe(404);
  expect((await getAs(site, editor, '/admin/promos/abc')).status).toBe(404);
});
