import path from 'node:path';
import Database from 'better-sqlite3';
import * as cheerio from 'cheerio';
import { startBuiltServerInTempDir, type ChildServer } from '../helpers/child-server';

// A search thread keeps which stories may be shown in memory (visible-stories-repository.ts) and follows
// migration 0032's log of changes. Here a built server searches on its thread while another
// connection changes the stories, as the newsroom's process or a script would: every change must
// show in the very next search, with no restart and no wait.
let server: ChildServer;
let stop: () => Promise<void>;
let db: Database.Database;
const SEED_SLUG = 'Is-North-Korea-ready-to-talk-Moscow-meeting-may-be-first-step';

beforeAll(async () => {
  let dir: string;
  ({ server, stop, dir } = await startBuiltServerInTempDir({ SEARCH_THREADS: '1', PAGE_CACHE_MB: '0' }));
  db = new Database(path.join(dir, 'news.db'));
  db.pragma('busy_timeout = 5000');
}, 60_000);
afterAll(async () => {
  db?.close();
  await stop?.();
});

/** The slugs a search finds, from the built server. */
async function found(query: string): Promise<string[]> {
  const res = await fetch(`${server.url}/search?${query}`);
  expect(res.status).toBe(200);
  const $ = cheerio.load(await res.text());
  return $('.search-result .story-card__headline a')
    .map((_, a) => $(a).attr('href')!.split('/').pop())
    .get();
}

const seed = () =>
  db
    .prepare<[string], { id: number; section_id: number; published_at: string }>(
      'SELECT id, section_id, published_at FROM articles WHERE slug = ?',
    )
    .get(SEED_SLUG)!;
const setColumn = (column: 'status' | 'published_at' | 'section_id', value: string | number) =>
  db.prepare(`UPDATE articles SET ${column} = ? WHERE slug = ?`).run(value, SEED_SLUG);

test('a story taken down, scheduled for later or put back shows in the next search', async () => {
  expect(await found('q=korea')).toContain(SEED_SLUG);
  setColumn('status', 'draft');
  expect(await found('q=korea')).not.toContain(SEED_SLUG);
  setColumn('status', 'published');
  expect(await found('q=korea')).toContain(SEED_SLUG);

  const { published_at } = seed();
  setColumn('published_at', '2099-01-01T00:00:00.000Z');
  expect(await found('q=korea')).not.toContain(SEED_SLUG);
  setColumn('published_at', published_at);
  expect(await found('q=korea')).toContain(SEED_SLUG);
});

test('a story moved to another section is found within that section, and no longer in its old one', async () => {
  const { section_id } = seed();
  const sections = db.prepare<[], { id: number; path: string }>('SELECT id, path FROM sections ORDER BY id').all();
  const oldPath = sections.find((section) => section.id === section_id)!.path;
  // A section that is not the story's old one nor above it (a section filter takes in its subsections).
  const other = sections.find((section) => !oldPath.startsWith(section.path))!;
  expect(await found(`q=korea&section=${encodeURIComponent(oldPath)}`)).toContain(SEED_SLUG);
  expect(await found(`q=korea&section=${encodeURIComponent(other.path)}`)).not.toContain(SEED_SLUG);
  setColumn('section_id', other.id);
  try {
    expect(await found(`q=korea&section=${encodeURIComponent(other.path)}`)).toContain(SEED_SLUG);
    expect(await found(`q=korea&section=${encodeURIComponent(oldPath)}`)).not.toContain(SEED_SLUG);
  } finally {
    setColumn('section_id', section_id);
  }
});

test('when the log has dropped changes the thread had not read, it reads every story afresh', async () => {
  expect(await found('q=korea')).toContain(SEED_SLUG);
  // The story is taken down, and then the log loses that entry, as when more than 100,000
  // changes pass between two searches. A later change elsewhere shows the thread the gap.
  setColumn('status', 'draft');
  db.prepare('DELETE FROM article_visibility_changes').run();
  db.prepare(
    "UPDATE articles SET status = status WHERE slug <> ? AND status = 'published' AND id = (SELECT min(id) FROM articles WHERE slug <> ?)",
  ).run(SEED_SLUG, SEED_SLUG);
  try {
    expect(await found('q=korea')).not.toContain(SEED_SLUG);
  } finally {
    setColumn('status', 'published');
  }
  expect(await found('q=korea')).toContain(SEED_SLUG);
});

test('a change that rolls back changes nothing, and the log keeps its newest 100,000 entries', async () => {
  const logged = () => db.prepare<[], number>('SELECT count(*) FROM article_visibility_changes').pluck().get()!;
  const before = logged();
  expect(() =>
    db.transaction(() => {
      setColumn('status', 'draft');
      throw new Error('the editor cancelled');
    })(),
  ).toThrow('cancelled');
  expect(logged()).toBe(before);
  expect(await found('q=korea')).toContain(SEED_SLUG);

  db.prepare(
    'INSERT INTO article_visibility_changes (article_id) SELECT 0 FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) SELECT i FROM n)',
  ).run();
  setColumn('status', 'published');
  expect(logged()).toBe(100_000);
  const newest = db
    .prepare<[], { article_id: number }>('SELECT article_id FROM article_visibility_changes ORDER BY seq DESC LIMIT 1')
    .get()!;
  expect(newest.article_id).toBe(seed().id);
});
