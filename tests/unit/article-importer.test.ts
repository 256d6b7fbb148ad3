import fs from 'node:fs';
import path from 'node:path';
import { seedDatabase } from '../../seed/seed-database';
import { importArticles } from '../../src/importing/article-importer';
import { readImportRecords } from '../../src/importing/import-file-reader';
import { SEED_DIR } from '../../src/project-paths';
import { buildArticleRecord, importRecords } from '../helpers/article-factory';
import { createTestSite, type TestSite } from '../helpers/test-site';

let site: TestSite;
const count = (table: string) => site.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

beforeEach(async () => {
  site = await createTestSite({ seed: false });
  await seedDatabase(site.db, site.photoStore);
});
afterEach(() => site.close());

test('reports each rejected NDJSON record with its line and reason, and imports the rest', async () => {
  const articlesBefore = count('articles');
  const topicsBefore = count('topics');
  const report = await importRecords(site, [
    buildArticleRecord({ slug: 'Good-one', body: ['Mentions [[A Brand New Topic]].'] }),
    '{"section": "Science", "slug": ',
    buildArticleRecord({ headline: '' }),
    '',
    buildArticleRecord({ section: 'Sports' }),
    buildArticleRecord({ slug: 'has spaces', body: ['Would create [[Another New Topic]].'] }),
    buildArticleRecord({ hero_photo: { file: 'photos/missing.jpg', alt: 'x' } }),
    buildArticleRecord({ body: [{ related: { links: [{ text: 'x', href: 'javascript:alert(1)' }] } }] }),
    buildArticleRecord({ published_at: 'yesterday' }),
    buildArticleRecord({ slug: 'Good-two', extra: 'field' }),
    buildArticleRecord({ slug: 'Good-three' }),
  ]);
  expect(report.inserted).toBe(2);
  expect(report.rejected.map((r) => r.line)).toEqual([2, 3, 5, 6, 7, 8, 9, 10]);
  const reasons = Object.fromEntries(report.rejected.map((r) => [r.line, r.reason]));
  expect(reasons[2]).toMatch(/not valid JSON/);
  expect(reasons[3]).toMatch(/^headline: /);
  expect(reasons[5]).toMatch(/unknown section "Sports"/);
  expect(reasons[6]).toMatch(/^slug: /);
  expect(reasons[7]).toBe('photo photos/missing.jpg: file not found');
  expect(reasons[8]).toMatch(/^body\.0/);
  expect(reasons[9]).toMatch(/^published_at: /);
  expect(reasons[10]).toMatch(/extra/);
  expect(count('articles')).toBe(articlesBefore + 2);
  // Only the accepted record's new topic exists; the rejected one left nothing behind.
  expect(count('topics')).toBe(topicsBefore + 1);
});

test('a record that fails while being written leaves nothing of itself behind', async () => {
  // A trigger stands in for any failure half-way through a record (after its article row is in).
  site.db.exec(`CREATE TEMP TRIGGER refuse_topic BEFORE INSERT ON article_topics
    WHEN (SELECT slug FROM topics WHERE id = NEW.topic_id) = 'poison' BEGIN SELECT RAISE(ABORT, 'refused by test'); END`);
  const before = { articles: count('articles'), topics: count('topics'), photos: count('photos') };
  const report = await importRecords(site, [
    buildArticleRecord({ slug: 'Before' }),
    buildArticleRecord({
      slug: 'Poisoned',
      body: ['Links [[Poison]] and [[Harmless New Topic]].'],
      hero_photo: { file: 'photos/solar-farm.jpg', alt: 'New words for an old photo', caption: 'Changed caption' },
    }),
    buildArticleRecord({ slug: 'After' }),
  ]);
  expect(report.inserted).toBe(2);
  expect(report.rejected).toEqual([{ line: 2, reason: 'refused by test' }]);
  expect(count('articles')).toBe(before.articles + 2);
  expect(count('topics')).toBe(before.topics);
  expect(site.db.prepare("SELECT count(*) FROM articles WHERE slug = 'Poisoned'").pluck().get()).toBe(0);
  expect(count('photos')).toBe(before.photos);
});

test('reads a JSON array and reports the line each bad element starts on', async () => {
  const file = path.join(site.dir, 'batch.json');
  const good = JSON.stringify(buildArticleRecord(), null, 2);
  fs.writeFileSync(file, `[\n${good},\n  {"section": "Science"},\n${good.replace('Test-story', 'Other-story')}\n]\n`);
  const report = await importArticles(site.db, site.photoStore, readImportRecords(file), { baseDir: SEED_DIR });
  const goodLines = good.split('\n').length;
  expect(report.rejected).toEqual([{ line: 2 + goodLines, reason: expect.stringMatching(/^slug: /) }]);
  expect(report.inserted).toBe(2);
});

test('a broken element of a JSON array is rejected on its line without sinking the others', async () => {
  const file = path.join(site.dir, 'broken.json');
  fs.writeFileSync(file, `[\n  {"a": 1},\n  {"b": },\n  ${JSON.stringify(buildArticleRecord())}\n]`);
  const report = await importArticles(site.db, site.photoStore, readImportRecords(file), { baseDir: SEED_DIR });
  expect(report.rejected).toEqual([
    { line: 2, reason: expect.stringMatching(/^section: /) },
    { line: 3, reason: expect.stringMatching(/not valid JSON/) },
  ]);
  expect(report.inserted).toBe(1);
});

test('a JSON file that is not one balanced array is one rejection', async () => {
  const file = path.join(site.dir, 'unbalanced.json');
  fs.writeFileSync(file, '[\n  {"a": [1, 2}\n');
  const report = await importArticles(site.db, site.photoStore, readImportRecords(file), { baseDir: SEED_DIR });
  expect(report.rejected).toEqual([{ line: 1, reason: expect.stringMatching(/not valid JSON/) }]);
  expect(report.inserted).toBe(0);
});

test('upserts by section and slug: changed records update, unchanged ones are left alone', async () => {
  const record = buildArticleRecord({ slug: 'Upserted' });
  expect((await importRecords(site, [record])).inserted).toBe(1);
  expect(await importRecords(site, [record])).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
  const edited = { ...record, slug: 'upserted', headline: 'An edited headline', updated_at: '2014-01-02T00:00:00Z' };
  expect(await importRecords(site, [edited])).toMatchObject({ updated: 1 });
  const row = site.db.prepare("SELECT slug, headline, updated_at FROM articles WHERE slug = 'Upserted'").get();
  expect(row).toEqual({ slug: 'upserted', headline: 'An edited headline', updated_at: '2014-01-02T00:00:00.000Z' });
});

test('reports progress as it goes', async () => {
  const seen: number[] = [];
  const records = Array.from({ length: 450 }, () => JSON.stringify(buildArticleRecord()));
  const file = path.join(site.dir, 'many.ndjson');
  fs.writeFileSync(file, records.join('\n'));
  const report = await importArticles(site.db, site.photoStore, readImportRecords(file), {
    baseDir: SEED_DIR,
    onProgress: (progress) => seen.push(progress.read),
  });
  expect(report.inserted).toBe(450);
  expect(seen).toEqual([200, 400, 450]);
});

test('seeding twice changes nothing the second time', async () => {
  const changesBefore = site.db.prepare('SELECT total_changes()').pluck().get() as number;
  const report = await seedDatabase(site.db, site.photoStore);
  expect(report).toMatchObject({ inserted: 0, updated: 0, unchanged: 48, rejected: [] });
  expect(site.db.prepare('SELECT total_changes()').pluck().get()).toBe(changesBefore);
  expect(count('articles')).toBe(48);
  expect(count('sections')).toBeGreaterThanOrEqual(6);
});

test('a story given twice in one file is rejected the second time, naming the first line, and re-imports stay quiet', async () => {
  const first = buildArticleRecord({ slug: 'Twice-told', headline: 'The first telling' });
  const second = { ...first, slug: 'twice-told', headline: 'The second telling' };
  const report = await importRecords(site, [first, second]);
  expect(report.inserted).toBe(1);
  expect(report.rejected).toEqual([{ line: 2, reason: expect.stringContaining('the same story as line 1') }]);
  expect(site.db.prepare("SELECT headline FROM articles WHERE slug = 'Twice-told'").pluck().get()).toBe('The first telling');
  // Importing the same file again: nothing is written twice over.
  expect(await importRecords(site, [first, second])).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
});

test('rejects say what was wrong in plain words, with the value given and what is allowed', async () => {
  const { headline: _dropped, ...withoutHeadline } = buildArticleRecord();
  const report = await importRecords(site, [
    withoutHeadline,
    buildArticleRecord({ published_at: 'yesterday' }),
    buildArticleRecord({ status: 'live' }),
    buildArticleRecord({ section: 'Sports' }),
    buildArticleRecord({ colour: 'red' }),
  ]);
  const reasons = report.rejected.map((rejection) => rejection.reason);
  expect(reasons[0]).toBe('headline: is missing');
  expect(reasons[1]).toBe('published_at: must be a date and time with its time zone, such as 2013-06-29T16:05:00Z (got "yesterday")');
  expect(reasons[2]).toBe('status: must be one of "draft", "published" (got "live")');
  expect(reasons[3]).toMatch(/^section: unknown section "Sports"; known sections: Business, .*, World, .*World\/Asia-Pacific/);
  expect(reasons[4]).toBe('record: unknown field "colour"');
  for (const reason of reasons) expect(reason).not.toMatch(/expected|received|Invalid/);
});

test('with no sections at all, an unknown section says to run the seed', async () => {
  const empty = await createTestSite({ seed: false });
  try {
    const report = await importRecords(empty, [buildArticleRecord()]);
    expect(report.rejected[0]!.reason).toContain('has no sections yet; run npm run seed');
  } finally {
    await empty.close();
  }
});

test('a dry run checks every record and writes nothing', async () => {
  const before = { articles: count('articles'), topics: count('topics'), photos: count('photos') };
  const existing = JSON.parse(fs.readFileSync(path.join(SEED_DIR, 'articles.json'), 'utf8'))[0];
  const records = [
    existing,
    buildArticleRecord({ slug: 'Dry-new', body: ['About [[A Dry Topic]].'] }),
    buildArticleRecord({ section: 'Nowhere' }),
  ];
  const report = await importArticles(
    site.db,
    site.photoStore,
    records.map((value, i) => ({ line: i + 1, value })),
    {
      baseDir: SEED_DIR,
      dryRun: true,
    },
  );
  expect(report).toMatchObject({ inserted: 1, updated: 1, read: 3 });
  expect(report.rejected.map((rejection) => rejection.line)).toEqual([3]);
  expect({ articles: count('articles'), topics: count('topics'), photos: count('photos') }).toEqual(before);
});

test('an aborted import stops where it is, keeps what it wrote, and says it was interrupted', async () => {
  const stop = new AbortController();
  const records = Array.from({ length: 10 }, (_, i) => buildArticleRecord({ slug: `Stopped-${i}` }));
  async function* slowly() {
    for (const [i, value] of records.entries()) {
      if (i === 4) stop.abort();
      yield { line: i + 1, value };
    }
  }
  const before = count('articles');
  const report = await importArticles(site.db, site.photoStore, slowly(), { baseDir: SEED_DIR, signal: stop.signal });
  expect(report).toMatchObject({ interrupted: true, read: 4, inserted: 4 });
  expect(count('articles')).toBe(before + 4);
});
