import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config';
import { analyzeWithoutSamples } from '../../src/db/planner-samples';
import { prepareDatabase } from '../../src/prepare-database';
import { capturedLog } from '../helpers/captured-log';

// An operator runs ANALYZE, as SQLite's advice goes: with the samples it leaves in sqlite_stat4,
// SQLite would plan FTS5's look-up of every searched word again on every search
// (src/db/planner-samples.ts). The site deletes them when it starts and keeps the rest.

let dir: string;
let config: ReturnType<typeof loadConfig>;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-site-planner-samples-'));
  config = loadConfig({ DATABASE_PATH: path.join(dir, 'news.db'), PHOTOS_DIR: path.join(dir, 'photos') });
  await prepareDatabase(config, capturedLog().logger);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const count = (db: Database.Database, table: string): number => db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get()!;
const storiesAbout = (db: Database.Database, words: string): number[] =>
  db.prepare<[string], number>('SELECT rowid FROM article_search WHERE article_search MATCH ? ORDER BY rowid').pluck().all(words);

test("the site deletes ANALYZE's samples when it starts, and keeps the index statistics", async () => {
  const db = new Database(config.databasePath);
  db.exec('ANALYZE');
  expect(count(db, 'sqlite_stat4')).toBeGreaterThan(0);
  const stat1 = count(db, 'sqlite_stat1');
  expect(stat1).toBeGreaterThan(0);
  const korea = storiesAbout(db, 'korea');
  expect(korea).not.toEqual([]);
  db.close();

  const log = capturedLog();
  await prepareDatabase(config, log.logger);
  const after = new Database(config.databasePath);
  expect(count(after, 'sqlite_stat4')).toBe(0);
  expect(count(after, 'sqlite_stat1')).toBe(stat1);
  expect(storiesAbout(after, 'korea')).toEqual(korea);
  after.close();
  const line = log.lines.map((text) => JSON.parse(text) as { msg: string; samples?: number }).find((entry) => entry.samples !== undefined);
  expect(line?.msg).toContain('sqlite_stat4');
  expect(line?.samples).toBeGreaterThan(0);

  // Nothing to delete on the next start: nothing said.
  const quiet = capturedLog();
  await prepareDatabase(config, quiet.logger);
  expect(quiet.text()).not.toContain('sqlite_stat4');
});

test('the benchmarks analyze as the site keeps it: index statistics, no samples', () => {
  const db = new Database(config.databasePath);
  db.exec('DELETE FROM sqlite_stat1');
  analyzeWithoutSamples(db);
  expect(count(db, 'sqlite_stat1')).toBeGreaterThan(0);
  expect(count(db, 'sqlite_stat4')).toBe(0);
  db.close();
});
