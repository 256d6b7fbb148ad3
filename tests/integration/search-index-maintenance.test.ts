import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PACKAGE_ROOT } from '../../src/project-paths';
import { searchIndexSegments } from '../../src/search/search-index-maintenance';

// `npm run search:optimize` as an operator runs it (the built command; npm test builds dist/):
// stories written one at a time leave the search indexes in many segments, which every search
// reads; the command merges each into one, and search finds the same stories after.

let dir: string;
let env: Record<string, string>;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-site-search-optimize-'));
  env = { PATH: process.env.PATH ?? '', DATABASE_PATH: path.join(dir, 'news.db'), PHOTOS_DIR: path.join(dir, 'photos') };
  expect(spawnSync(process.execPath, ['dist/src/cli/seed.js'], { cwd: PACKAGE_ROOT, env }).status).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const open = () => new Database(env.DATABASE_PATH!);
const found = (db: Database.Database, words: string): number[] =>
  db.prepare<[string], number>('SELECT rowid FROM article_search WHERE article_search MATCH ? ORDER BY rowid').pluck().all(words);

test('merges every search index into one segment, and search finds the same stories', () => {
  const db = open();
  // Each story edited in its own transaction, as the newsroom does: a segment each.
  const ids = db.prepare<[], number>('SELECT id FROM articles ORDER BY id LIMIT 6').pluck().all();
  for (const id of ids) db.prepare("UPDATE articles SET headline = headline || ' walrus' WHERE id = ?").run(id);
  const before = searchIndexSegments(db);
  expect(before.article_search).toBeGreaterThan(1);
  expect(before.article_search_headlines).toBeGreaterThan(1);
  const foundBefore = found(db, 'walrus');
  expect(foundBefore).toEqual(ids);
  db.close();

  const run = spawnSync(process.execPath, ['bin/news.js', 'search:optimize'], { cwd: PACKAGE_ROOT, env, encoding: 'utf8' });
  expect(run.status).toBe(0);
  expect(run.stdout).toContain(`article_search: ${before.article_search} segments merged into 1`);

  const after = open();
  expect(searchIndexSegments(after)).toEqual({ article_search: 1, article_search_words: 1, article_search_headlines: 1, search_words: 1 });
  expect(found(after, 'walrus')).toEqual(foundBefore);
  expect(found(after, 'korea')).not.toEqual([]);
  after.close();
});
