import { RELATED_SAME_SECTION_CANDIDATES } from '../../src/articles/articles-repository';
import { createContentVersionRepository } from '../../src/delivery/content-version-repository';
import { createTestSite, type TestSite } from '../helpers/test-site';

// Every cache of shared pages (the page cache, the article layout, the section tree, stored
// renders) is invalidated by the content version, which triggers bump on every write to a table
// that a page reads. A new table that pages read needs its triggers, and nothing else would
// notice a missing one: this file does. Each table of the schema must be named below.

/** Tables that shared pages (articles, fronts, feeds, sitemaps, search, the chrome) read. */
const SHOWN = [
  'articles',
  'article_topics',
  'article_old_slugs',
  'article_inline_photos',
  'topics',
  'sections',
  'photos',
  'promos',
  'promo_sections',
  'offers',
  'offer_plans',
  'article_corrections',
];
/** Tables whose rows only follow `articles` (the search index, kept by articles' own triggers). */
const DERIVED_FROM_ARTICLES = /^(article_search|search_words)(_\w+)?$/;
/** Tables no shared page shows: per-reader data, bookkeeping, and the caches themselves. */
const NOT_SHOWN = [
  'subscriptions',
  'consents',
  'signup_requests',
  'mail_outbox',
  'rate_limits',
  // The newsroom's accounts: only its own private pages show them.
  'newsroom_users',
  'newsroom_sessions',
  'newsroom_signin_failures',
  'newsroom_audit',
  'article_revisions',
  'settings',
  'schema_migrations',
  'content_version',
  'article_renders',
  'article_render_links',
  'article_render_photos',
  'article_search_terms',
  'cache_purges',
  // Which stories changed, for the search threads' copy of which stories they may show; written
  // by articles' own triggers, and no page reads it.
  'article_visibility_changes',
  // The weekly review: its web version is the HTML rendered when its send started, served as it
  // is (never from the page cache), so no later change to anything alters it.
  'newsletter_issues',
  'newsletter_stories',
  'newsletter_sends',
];

let site: TestSite;
beforeAll(async () => {
  site = await createTestSite();
});
afterAll(() => site?.close());

const tables = (): string[] =>
  site.db
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all();

test('every table is either shown by pages or named as not shown', () => {
  const unclassified = tables().filter((name) => !SHOWN.includes(name) && !NOT_SHOWN.includes(name) && !DERIVED_FROM_ARTICLES.test(name));
  expect(unclassified).toEqual([]);
  // And the lists name only tables that exist.
  expect([...SHOWN, ...NOT_SHOWN].filter((name) => !tables().includes(name))).toEqual([]);
});

test.each(SHOWN)('%s: an insert, an update and a delete each move the content version', (table) => {
  const triggers = site.db
    .prepare<[string], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?")
    .all(table)
    .filter(({ sql }) => /UPDATE content_version SET version = version \+ 1/.test(sql))
    .map(({ sql }) => /AFTER (INSERT|UPDATE|DELETE)/.exec(sql)![1]);
  expect(triggers.sort()).toEqual(['DELETE', 'INSERT', 'UPDATE']);

  // And they work: an update and a delete of a real row, rolled back afterwards.
  const version = createContentVersionRepository(site.db).current;
  const moved = whatAChangeMoves(table, () => version().version);
  if (moved) expect(moved).toEqual({ update: true, delete: true });
});

test.each(SHOWN)('%s: an update and a delete of a shown row each queue a purge for the cache nodes', (table) => {
  const purged = whatAChangeMoves(table, () => site.db.prepare<[], number>('SELECT count(*) FROM cache_purges').pluck().get()!);
  if (purged) expect(purged).toEqual({ update: true, delete: true });
});

/**
 * Updates (to the same value) and deletes the table's first row in a transaction that is rolled
 * back, and says whether each raised `counter`. Undefined when the seed has no row to try.
 */
function whatAChangeMoves(table: string, counter: () => number): { update: boolean; delete: boolean } | undefined {
  const [column] = site.db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all();
  const row = site.db.prepare(`SELECT rowid AS id FROM ${table} LIMIT 1`).get() as { id: number } | undefined;
  if (!row) return undefined; // the seed has none: the triggers' presence is all there is to check
  const moved = { update: false, delete: false };
  const attempt = site.db.transaction(() => {
    let before = counter();
    site.db.prepare(`UPDATE ${table} SET ${column!.name} = ${column!.name} WHERE rowid = ?`).run(row.id);
    moved.update = counter() > before;
    before = counter();
    try {
      site.db.prepare(`DELETE FROM ${table} WHERE rowid = ?`).run(row.id);
      moved.delete = counter() > before;
    } catch (error) {
      // Rows that others point to (a section with stories) cannot be deleted at all.
      if (!/FOREIGN KEY constraint failed/.test((error as Error).message)) throw error;
      moved.delete = true;
    }
    throw new Error('roll back');
  });
  expect(() => attempt()).toThrow('roll back');
  return moved;
}

test('stored renders dropped on a new story cover every story whose related list it can join', () => {
  const windows = site.db
    .prepare<[], string>(
      "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles' AND sql LIKE '%DELETE FROM article_renders%LIMIT%'",
    )
    .pluck()
    .all()
    .map((sql) => Number(/LIMIT (\d+)/.exec(sql)![1]));
  expect(windows.length).toBeGreaterThanOrEqual(2); // on insert and on update
  for (const limit of windows) expect(limit).toBeGreaterThanOrEqual(RELATED_SAME_SECTION_CANDIDATES);
});
