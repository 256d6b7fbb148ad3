import * as cheerio from 'cheerio';
import request from 'supertest';
import type { BodyBlock } from '../../src/articles/article-body';
import { formatBody, parseBody } from '../../src/newsroom/story-body-format';
import { addNewsroomUser, getAs, postAs, signIn, type NewsroomBrowser } from '../helpers/newsroom';
import { createTestSite, SEED_ARTICLE_PATH, TEST_NOW, type TestSite } from '../helpers/test-site';

// The story editor as editors use it: a writer's draft, what a writer may not do, publishing,
// scheduling, unpublishing, a changed slug, two people saving the same story, bad input, and
// the seed story saved unchanged.

let site: TestSite;
let clock = TEST_NOW.getTime();
let writer: NewsroomBrowser;
let editor: NewsroomBrowser;
let worldId: number;

beforeAll(async () => {
  site = await createTestSite({ now: () => new Date(clock), env: { TRUST_PROXY: 'loopback' } });
  await addNewsroomUser(site, 'writer@news.example', 'writer');
  await addNewsroomUser(site, 'editor@news.example', 'editor');
  writer = await signIn(site, 'writer@news.example', undefined, { 'X-Forwarded-For': '198.51.100.1' });
  editor = await signIn(site, 'editor@news.example', undefined, { 'X-Forwarded-For': '198.51.100.2' });
  worldId = site.db.prepare("SELECT id FROM sections WHERE path = 'World'").pluck().get() as number;
});
afterAll(() => site.close());

const story = (overrides: Record<string, string> = {}) => ({
  headline: 'Harbour reopens after the storm',
  deck: 'Ferries run again on Monday.',
  byline: 'A. Writer, Staff writer',
  source: '',
  credit_line: '',
  section: String(worldId),
  slug: '',
  topics: 'Storms',
  hero_photo: '',
  body: 'The harbour reopened on Monday.\n\nFerries to the [islands](/topics/islands) run again.',
  publish_at: '',
  revision: '0',
  action: 'save',
  ...overrides,
});

/** The editor's form for a story, as the page holds it (every field and the revision). */
async function openEditor(browser: NewsroomBrowser, id: number): Promise<Record<string, string>> {
  const $ = cheerio.load((await getAs(site, browser, `/admin/stories/${id}`)).text);
  const fields: Record<string, string> = {};
  $('form.newsroom-editor')
    .find('input[name], textarea[name], select[name]')
    .each((_, element) => {
      const name = $(element).attr('name')!;
      if (name === '_csrf') return;
      fields[name] = $(element).is('select') ? ($(element).find('option[selected]').attr('value') ?? '') : ($(element).val() as string);
    });
  return fields;
}

/** The public address of story `id` (in World, as these tests write them). */
const publicPath = (id: number) =>
  site.db.prepare("SELECT '/World/' || strftime('%Y/%m%d/', published_at) || slug FROM articles WHERE id = ?").pluck().get(id) as string;
const idFrom = (location: string) => Number(/\/admin\/stories\/(\d+)/.exec(location)![1]);
const frontPage = async () => (await request(site.app).get('/')).text;

test('a writer writes a draft, cannot publish it by any post, and submits it for review', async () => {
  const created = await postAs(site, writer, '/admin/stories/new', story());
  expect(created.status).toBe(303);
  const id = idFrom(created.headers.location!);
  const row = site.db.prepare('SELECT slug, status, revision FROM articles WHERE id = ?').get(id) as Record<string, unknown>;
  expect(row).toEqual({ slug: 'Harbour-reopens-after-the-storm', status: 'draft', revision: 1 });
  expect(await frontPage()).not.toContain('Harbour reopens after the storm');

  const page = cheerio.load((await getAs(site, writer, `/admin/stories/${id}`)).text);
  const buttons = page('form.newsroom-editor button')
    .map((_, b) => page(b).text())
    .get();
  expect(buttons).toEqual(['Save draft', 'Submit for review']);
  // The buttons are hidden, and a post made by hand is refused all the same.
  for (const action of ['publish', 'schedule', 'unpublish']) {
    const posted = await postAs(site, writer, `/admin/stories/${id}`, { ...(await openEditor(writer, id)), action });
    expect(posted.status).toBe(403);
  }
  expect(site.db.prepare('SELECT status FROM articles WHERE id = ?').pluck().get(id)).toBe('draft');
  const submitted = await postAs(site, writer, `/admin/stories/${id}`, { ...(await openEditor(writer, id)), action: 'submit' });
  expect(submitted.status).toBe(303);
  const home = cheerio.load((await getAs(site, editor, '/admin')).text);
  expect(home('#review + ul').text()).toContain('Harbour reopens after the storm');
  // Another writer's story is not theirs to open.
  await addNewsroomUser(site, 'other.writer@news.example', 'writer');
  const other = await signIn(site, 'other.writer@news.example', undefined, { 'X-Forwarded-For': '198.51.100.3' });
  expect((await getAs(site, other, `/admin/stories/${id}`)).status).toBe(403);
  expect((await postAs(site, other, `/admin/stories/${id}`, { ...(await openEditor(writer, id)), action: 'save' })).status).toBe(403);
});

test('an editor publishes a story: it is on the front, its section, the feed and in search at once', async () => {
  const created = await postAs(
    site,
    editor,
    '/admin/stories/new',
    story({ headline: 'Lighthouse keeper retires', topics: '', action: 'publish' }),
  );
  const id = idFrom(created.headers.location!);
  expect(await frontPage()).toContain('Lighthouse keeper retires');
  expect((await request(site.app).get('/World')).text).toContain('Lighthouse keeper retires');
  expect((await request(site.app).get('/feeds/rss.xml')).text).toContain('Lighthouse keeper retires');
  expect((await request(site.app).get('/search?q=lighthouse+keeper')).text).toContain('Lighthouse keeper retires');
  const path = publicPath(id);
  const article = await request(site.app).get(path);
  expect(article.status).toBe(200);
  expect(article.text).toContain('<a href="/topics/islands">islands</a>');

  // Unpublished, it leaves them all at once.
  const unpublished = await postAs(site, editor, `/admin/stories/${id}`, { ...(await openEditor(editor, id)), action: 'unpublish' });
  expect(unpublished.status).toBe(303);
  expect(await frontPage()).not.toContain('Lighthouse keeper retires');
  expect((await request(site.app).get('/feeds/rss.xml')).text).not.toContain('Lighthouse keeper retires');
  expect((await request(site.app).get('/search?q=lighthouse+keeper')).text).not.toContain('Lighthouse keeper retires');
  expect((await request(site.app).get(path)).status).toBe(404);
});

test('a scheduled story appears when its time comes, with no visit needed to set it off', async () => {
  const at = new Date(clock + 60_000).toISOString().slice(0, 19);
  const created = await postAs(
    site,
    editor,
    '/admin/stories/new',
    story({ headline: 'Bridge opens at noon', topics: '', publish_at: at, action: 'schedule' }),
  );
  expect(created.status).toBe(303);
  expect(await frontPage()).not.toContain('Bridge opens at noon');
  clock += 61_000;
  expect(await frontPage()).toContain('Bridge opens at noon');
  // A time in the past is not a schedule.
  const past = await postAs(
    site,
    editor,
    '/admin/stories/new',
    story({ headline: 'Too late', publish_at: '2001-01-01T00:00', action: 'schedule' }),
  );
  expect(past.status).toBe(422);
  expect(cheerio.load(past.text)('#story-publish-at-error').text()).toContain('in the future');
});

test('a changed slug keeps the old address answering with a 301', async () => {
  const created = await postAs(
    site,
    editor,
    '/admin/stories/new',
    story({ headline: 'Old name of a story', topics: '', action: 'publish' }),
  );
  const id = idFrom(created.headers.location!);
  const oldPath = publicPath(id);
  const form = await openEditor(editor, id);
  expect((await postAs(site, editor, `/admin/stories/${id}`, { ...form, slug: 'New-name-of-a-story', action: 'publish' })).status).toBe(
    303,
  );
  const old = await request(site.app).get(oldPath);
  expect(old.status).toBe(301);
  expect(old.headers.location).toMatch(/\/World\/\d{4}\/\d{4}\/New-name-of-a-story$/);
});

test('when two people save the same story, the second sees both versions and overwrites nothing', async () => {
  const created = await postAs(site, editor, '/admin/stories/new', story({ headline: 'Shared story', topics: '' }));
  const id = idFrom(created.headers.location!);
  const first = await openEditor(editor, id);
  const second = await openEditor(editor, id);
  expect((await postAs(site, editor, `/admin/stories/${id}`, { ...first, deck: 'The first editor’s deck.', action: 'save' })).status).toBe(
    303,
  );
  const conflict = await postAs(site, editor, `/admin/stories/${id}`, { ...second, deck: 'The second editor’s deck.', action: 'save' });
  expect(conflict.status).toBe(409);
  const $ = cheerio.load(conflict.text);
  expect($('.newsroom-compare').text()).toContain('The first editor’s deck.');
  expect($('.newsroom-compare').text()).toContain('The second editor’s deck.');
  expect($('#story-deck').val()).toBe('The second editor’s deck.');
  expect(site.db.prepare('SELECT deck FROM articles WHERE id = ?').pluck().get(id)).toBe('The first editor’s deck.');
  // Saving again from the conflict page is a choice made knowingly: it names their revision.
  const again = await postAs(site, editor, `/admin/stories/${id}`, {
    ...second,
    deck: 'The second editor’s deck.',
    action: 'save',
    revision: $('input[name="revision"]').val() as string,
  });
  expect(again.status).toBe(303);
  expect(site.db.prepare('SELECT deck FROM articles WHERE id = ?').pluck().get(id)).toBe('The second editor’s deck.');
});

test('bad input is answered beside its field, keeps what was typed, and writes nothing', async () => {
  const before = site.db.prepare('SELECT count(*) FROM articles').pluck().get();
  const typed = story({
    headline: '',
    slug: 'not a slug!',
    hero_photo: '999999',
    body: 'Fine.\n\nA [broken link](https://elsewhere.example/x) here.',
    section: '0',
  });
  const res = await postAs(site, editor, '/admin/stories/new', typed);
  expect(res.status).toBe(422);
  const $ = cheerio.load(res.text);
  expect($('#error-summary').attr('autofocus')).toBeDefined();
  expect($('#story-headline-error').text()).toContain('Write a headline');
  expect($('#story-slug-error').text()).toContain('letters, digits and hyphens');
  expect($('#story-deck').val()).toBe(typed.deck);
  expect($('#story-body').text()).toBe(typed.body);
  expect(site.db.prepare('SELECT count(*) FROM articles').pluck().get()).toBe(before);
  const body = await postAs(
    site,
    editor,
    '/admin/stories/new',
    story({ body: 'One.\n\nA [broken link](https://elsewhere.example/x) here.' }),
  );
  expect(cheerio.load(body.text)('#story-body-error').text()).toContain('Paragraph 2');
  const photo = await postAs(site, editor, '/admin/stories/new', story({ hero_photo: '999999' }));
  expect(cheerio.load(photo.text)('#story-hero-photo-error').text()).toContain('no photo 999999');
  expect((await postAs(site, editor, '/admin/stories/new', { ...story(), action: 'launch' })).status).toBe(400);
  expect((await getAs(site, editor, '/admin/stories/999999')).status).toBe(404);
  expect((await getAs(site, editor, '/admin/stories/abc')).status).toBe(404);
  // A headline is text wherever it is shown.
  const script = await postAs(
    site,
    editor,
    '/admin/stories/new',
    story({ headline: '<script>alert(1)</script>', topics: '', action: 'publish' }),
  );
  expect(script.status).toBe(303);
  const front = await frontPage();
  expect(front).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(front).not.toContain('<script>alert(1)');
});

test('a photo without its caption or credit cannot be placed', async () => {
  const seedPhoto = site.db.prepare('SELECT sha256, format, width, height, bytes FROM photos LIMIT 1').get() as Record<string, unknown>;
  const bare = Number(
    site.db
      .prepare(
        "INSERT INTO photos (sha256, format, width, height, bytes, alt, caption, credit) VALUES (@sha256, @format, @width, @height, @bytes, 'A boat', '', '')",
      )
      .run(seedPhoto).lastInsertRowid,
  );
  const asHero = await postAs(site, editor, '/admin/stories/new', story({ hero_photo: String(bare) }));
  expect(asHero.status).toBe(422);
  expect(cheerio.load(asHero.text)('#story-hero-photo-error').text()).toContain('no caption or credit');
  const inBody = await postAs(site, editor, '/admin/stories/new', story({ body: `Text.\n\n[photo ${bare}]` }));
  expect(inBody.status).toBe(422);
  expect(cheerio.load(inBody.text)('#story-body-error').text()).toContain(`Photo ${bare} has no caption or credit`);
});

test('opening the seed story and saving it unchanged changes nothing', async () => {
  const id = site.db
    .prepare("SELECT id FROM articles WHERE slug = 'Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step'")
    .pluck()
    .get() as number;
  const before = site.db.prepare('SELECT * FROM articles WHERE id = ?').get(id);
  const version = site.db.prepare('SELECT version FROM content_version').pluck().get();
  const page = (await request(site.app).get(SEED_ARTICLE_PATH)).text;
  const saved = await postAs(site, editor, `/admin/stories/${id}`, { ...(await openEditor(editor, id)), action: 'publish' });
  expect(saved.status).toBe(303);
  expect(saved.headers.location).toContain('saved=unchanged');
  expect(site.db.prepare('SELECT * FROM articles WHERE id = ?').get(id)).toEqual(before);
  expect(site.db.prepare('SELECT version FROM content_version').pluck().get()).toBe(version);
  expect((await request(site.app).get(SEED_ARTICLE_PATH)).text).toBe(page);
});

test('a notice shows only for the names the editor sends; any other name shows nothing', async () => {
  const id = site.db.prepare('SELECT id FROM articles ORDER BY id LIMIT 1').pluck().get() as number;
  const known = cheerio.load((await getAs(site, editor, `/admin/stories/${id}?saved=save`)).text);
  expect(known('[role="status"]').text()).toContain('Saved.');
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const res = await getAs(site, editor, `/admin/stories/${id}?saved=${name}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/native code|function Object/);
    expect(cheerio.load(res.text)('[role="status"]').length).toBe(0);
  }
});

test('every seed story body reads back from the editor text exactly as stored', () => {
  const bodies = site.db.prepare('SELECT body_json FROM articles WHERE revision = 0').pluck().all() as string[];
  expect(bodies.length).toBeGreaterThan(40);
  for (const json of bodies) {
    const blocks = JSON.parse(json) as BodyBlock[];
    expect(parseBody(formatBody(blocks), () => true)).toEqual({ blocks });
  }
  const tricky: BodyBlock[] = [
    { type: 'paragraph', inlines: [{ type: 'text', text: 'Brackets [like this] and a \\ backslash, and [photo 3] as text.' }] },
  ];
  expect(parseBody(formatBody(tricky), () => true)).toEqual({ blocks: tricky });
});

test('every save is a revision: two are compared side by side, and an older one can be restored', async () => {
  const created = await postAs(
    site,
    editor,
    '/admin/stories/new',
    story({ headline: 'Story with a history', topics: '', deck: 'First deck.' }),
  );
  const id = idFrom(created.headers.location!);
  await postAs(site, editor, `/admin/stories/${id}`, { ...(await openEditor(editor, id)), deck: 'Second deck.', action: 'save' });
  const list = await getAs(site, editor, `/admin/stories/${id}/revisions`);
  expect(list.status).toBe(200);
  const $ = cheerio.load(list.text);
  expect($('table').first().find('tbody tr').first().text()).toContain('editor@news.example');
  expect($('table').first().find('tbody tr')).toHaveLength(2);
  const compare = cheerio.load((await getAs(site, editor, `/admin/stories/${id}/revisions?a=1&b=2`)).text);
  const deckRow = compare('.newsroom-compare tr.is-changed').filter((_, row) => compare(row).find('th').text().startsWith('Deck'));
  expect(deckRow.find('td').first().text()).toBe('First deck.');
  expect(deckRow.find('td').last().text()).toBe('Second deck.');
  expect(compare('.newsroom-compare tr.is-changed')).toHaveLength(1);

  const restore = $('form[action$="/revisions/1/restore"]');
  expect(restore.find('button').text()).toBe('Restore this revision');
  const restored = await postAs(site, editor, restore.attr('action')!, {});
  expect(restored.status).toBe(303);
  expect(restored.headers.location).toContain('saved=restored');
  expect(site.db.prepare('SELECT deck, revision FROM articles WHERE id = ?').get(id)).toEqual({ deck: 'First deck.', revision: 3 });
  expect(cheerio.load((await getAs(site, editor, `/admin/stories/${id}/revisions`)).text)('table:first-of-type tbody tr')).toHaveLength(3);
  expect((await getAs(site, writer, `/admin/stories/${id}/revisions`)).status).toBe(403);
  expect((await postAs(site, writer, `/admin/stories/${id}/revisions/2/restore`, {})).status).toBe(403);
  expect((await postAs(site, editor, `/admin/stories/${id}/revisions/99/restore`, {})).status).toBe(404);
});

test('a preview link shows a draft as it will look, to anyone holding it, for a set time, never indexed', async () => {
  const created = await postAs(site, writer, '/admin/stories/new', story({ headline: 'Embargoed report on the harbour', topics: '' }));
  const id = idFrom(created.headers.location!);
  const asked = await postAs(site, writer, `/admin/stories/${id}/preview-link`, {});
  expect(asked.status).toBe(303);
  const editorPage = cheerio.load((await getAs(site, writer, asked.headers.location!)).text);
  const link = editorPage('.newsroom-notice code').text();
  expect(link).toMatch(/^https:\/\/news\.example\/preview\/[0-9a-z]+\.[0-9a-z]+\.[A-Za-z0-9_-]{32}$/);
  const path = new URL(link).pathname;

  const preview = await request(site.app).get(path); // no cookie: no account needed
  expect(preview.status).toBe(200);
  expect(preview.headers['cache-control']).toBe('private, no-store');
  expect(preview.headers['x-robots-tag']).toContain('noindex');
  const $ = cheerio.load(preview.text);
  expect($('h1').text()).toContain('Embargoed report on the harbour');
  expect($('meta[name="robots"]').attr('content')).toContain('noindex');
  expect(await frontPage()).not.toContain('Embargoed report on the harbour');

  const forged = path.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
  expect((await request(site.app).get(forged)).status).toBe(404);
  const otherStory = path.replace(/^\/preview\/[0-9a-z]+/, `/preview/${(id + 1).toString(36)}`);
  expect((await request(site.app).get(otherStory)).status).toBe(404);
  // Writers share their own stories only.
  const editorsStory = idFrom(
    (await postAs(site, editor, '/admin/stories/new', story({ headline: 'Editor draft', topics: '' }))).headers.location!,
  );
  expect((await postAs(site, writer, `/admin/stories/${editorsStory}/preview-link`, {})).status).toBe(403);
  // The link's time runs out.
  clock += 73 * 3_600_000;
  expect((await request(site.app).get(path)).status).toBe(410);
});

test('a correction is a dated note on the story, dates it in its structured data, and is listed at /corrections', async () => {
  const desk = await signIn(site, 'editor@news.example', undefined, { 'X-Forwarded-For': '198.51.100.20' });
  const created = await postAs(
    site,
    desk,
    '/admin/stories/new',
    story({ headline: 'Harbour master honoured', topics: '', action: 'publish' }),
  );
  const id = idFrom(created.headers.location!);
  const path = publicPath(id);
  clock += 3_600_000;
  const noted = new Date(clock).toISOString();
  const text = 'An earlier version of this story misspelled the harbour master’s name as <b>Jonson</b>.';
  const corrected = await postAs(site, desk, `/admin/stories/${id}`, {
    ...(await openEditor(desk, id)),
    correction: text,
    action: 'publish',
  });
  expect(corrected.status).toBe(303);

  const article = await request(site.app).get(path);
  const $ = cheerio.load(article.text);
  const note = $('.article__corrections p');
  expect(note.text()).toBe(
    `Correction, ${new Date(noted).toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' })}: ${text}`,
  );
  expect(note.find('time').attr('datetime')).toBe(noted);
  const jsonLd = JSON.parse($('script[type="application/ld+json"]').text()) as { dateModified: string; correction: { text: string }[] };
  expect(jsonLd.dateModified).toBe(noted);
  expect(jsonLd.correction[0]!.text).toBe(text);

  const list = cheerio.load((await request(site.app).get('/corrections')).text);
  expect(list('.corrections-list li').first().text()).toContain('Harbour master honoured');
  expect(list('.corrections-list li').first().text()).toContain(text);
  expect(list('.corrections-list li a').first().attr('href')).toBe(path);
  expect(site.db.prepare("SELECT count(*) FROM cache_purges WHERE key = 'corrections'").pluck().get()).toBeGreaterThan(0);

  // A draft has nothing to correct yet; what was typed comes back.
  const draft = idFrom((await postAs(site, desk, '/admin/stories/new', story({ headline: 'Unfinished', topics: '' }))).headers.location!);
  const refused = await postAs(site, desk, `/admin/stories/${draft}`, {
    ...(await openEditor(desk, draft)),
    correction: 'Nothing to correct.',
    action: 'save',
  });
  expect(refused.status).toBe(422);
});
