import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../project-paths';
import type { Db } from './open-database';

export class MigrationError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`Migration ${file} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'MigrationError';
  }
}

const MIGRATION_NAME = /^\d{4}-[a-z0-9-]+\.sql$/;

/** The migration files in the order they apply: their names start with a zero-padded number. */
export function listMigrations(dir = MIGRATIONS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => MIGRATION_NAME.test(name))
    .sort();
}

/**
 * Applies every migration not yet recorded, each in its own transaction together with the row
 * that records it, so a failing file leaves the database exactly as the previous one left it.
 * Returns the names it applied.
 */
export function migrate(db: Db, dir = MIGRATIONS_DIR): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  ) STRICT`);
  const applied = new Set(db.prepare('SELECT name FROM schema_migrations').pluck().all() as string[]);
  const record = db.prepare('INSERT INTO schema_migrations (name) VALUES (?)');
  const done: string[] = [];
  for (const name of listMigrations(dir)) {
    if (applied.has(name)) continue;
    const sql = fs.readFileSync(path.join(dir, name), 'utf8');
    try {
      db.transaction(() => {
        db.exec(sql);
        record.run(name);
      }).immediate();
    } catch (error) {
      throw new MigrationError(name, error);
    }
    done.push(name);
  }
  return done;
}
