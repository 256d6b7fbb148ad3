import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listMigrations, migrate, MigrationError } from '../../src/db/migrate';
import { openDatabase, type Db } from '../../src/db/open-database';

let dir: string;
let db: Db;
const tables = () => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
const writeMigration = (name: string, sql: string) => fs.writeFileSync(path.join(dir, 'migrations', name), sql);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-test-'));
  fs.mkdirSync(path.join(dir, 'migrations'));
  db = openDatabase(path.join(dir, 'test.db'));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the connection uses WAL, foreign keys and a busy timeout', () => {
  expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
});

test('applies pending migrations in name order, records them, and skips them next time', () => {
  writeMigration('0002-b.sql', 'CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id));');
  writeMigration('0001-a.sql', 'CREATE TABLE a (id INTEGER PRIMARY KEY);');
  writeMigration('notes.txt', 'not a migration');
  expect(migrate(db, path.join(dir, 'migrations'))).toEqual(['0001-a.sql', '0002-b.sql']);
  expect(db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all()).toEqual(['0001-a.sql', '0002-b.sql']);
  expect(migrate(db, path.join(dir, 'migrations'))).toEqual([]);
});

test('a failing migration rolls back entirely, names its file, and leaves earlier ones applied', () => {
  writeMigration('0001-a.sql', 'CREATE TABLE a (id INTEGER PRIMARY KEY);');
  writeMigration('0002-broken.sql', 'CREATE TABLE half (id INTEGER); INSERT INTO a VALUES (1); CREATE TABLE oops (;');
  writeMigration('0003-c.sql', 'CREATE TABLE c (id INTEGER);');
  let error: unknown;
  try {
    migrate(db, path.join(dir, 'migrations'));
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(MigrationError);
  expect((error as MigrationError).message).toMatch(/^Migration 0002-broken\.sql failed: /);
  expect(tables()).toEqual(['a', 'schema_migrations']);
  expect(db.prepare('SELECT count(*) FROM a').pluck().get()).toBe(0);
  expect(db.prepare('SELECT name FROM schema_migrations').pluck().all()).toEqual(['0001-a.sql']);
});

test('the project’s own migrations apply to an empty database', () => {
  const applied = migrate(db);
  expect(applied).toEqual(listMigrations());
  expect(tables()).toEqual(expect.arrayContaining(['articles', 'sections', 'photos', 'topics', 'promos', 'offers', 'offer_plans']));
  expect(db.pragma('foreign_key_check')).toEqual([]);
});
