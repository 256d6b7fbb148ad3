import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { listMigrations } from '../db/migrate';
import { ensureDirectory } from '../db/ensure-directory';
import { runLitestream } from './litestream';

// Rebuilds the database file from a Litestream replica: Litestream writes it beside the target,
// it is checked (integrity_check, and a migration table this version of the site knows), and
// only then moved into place. An existing file is never overwritten unless asked; even then it
// is kept beside, renamed, with its WAL, so that a restore over the wrong file can be undone.

export type RestoreOptions = {
  replicaUrl: string;
  target: string;
  /** Restore the database as it was at this moment (an ISO 8601 time); the latest when unset. */
  timestamp?: Date;
  force?: boolean;
};

export type RestoreReport = {
  target: string;
  /** Where the file that was there before now is, when --force replaced one. */
  keptAs?: string;
  articles: number;
  subscriptions: number;
  /** Migrations newer than the replica: `npm start` applies them. */
  pendingMigrations: number;
  elapsedMs: number;
};

export class RestoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefusedError';
  }
}

const SIDE_FILES = ['', '-wal', '-shm'];
/** Litestream builds the file as `<output>.tmp` (with its own WAL) before renaming it. */
const PARTIAL_FILES = [...SIDE_FILES, '.tmp', '.tmp-wal', '.tmp-shm'];

const removePartial = (partial: string): void => {
  for (const suffix of PARTIAL_FILES) fs.rmSync(`${partial}${suffix}`, { force: true });
};

export async function restoreDatabase(options: RestoreOptions): Promise<RestoreReport> {
  const started = Date.now();
  const target = path.resolve(options.target);
  if (fs.existsSync(target) && !options.force) {
    throw new RestoreRefusedError(
      `${target} exists already: it was not changed. Stop the site and run again with --force to replace it (the old file is kept beside it), or set DATABASE_PATH to a new file.`,
    );
  }
  ensureDirectory(path.dirname(target));
  const partial = `${target}.restoring`;
  removePartial(partial);

  const args = ['-o', partial];
  if (options.timestamp) args.push('-timestamp', options.timestamp.toISOString());
  const result = await runLitestream('restore', args, { databasePath: target, replicaUrl: options.replicaUrl }).finally(() => {
    for (const suffix of ['.tmp', '.tmp-wal', '.tmp-shm']) fs.rmSync(`${partial}${suffix}`, { force: true });
  });
  if (result.code !== 0 || !fs.existsSync(partial)) {
    removePartial(partial);
    const said = (result.stderr + result.stdout).trim().split('\n').pop() ?? '';
    throw new Error(
      /no matching backups|no snapshots|no generation/i.test(said)
        ? `The replica at the given address holds no copy of the database${options.timestamp ? ` from before ${options.timestamp.toISOString()}` : ''}.`
        : `Litestream could not restore from the replica: ${said || `exit ${result.code}`}`,
    );
  }

  let checked: Omit<RestoreReport, 'target' | 'keptAs' | 'elapsedMs'>;
  try {
    checked = checkRestoredFile(partial);
  } catch (error) {
    removePartial(partial);
    throw error;
  }

  let keptAs: string | undefined;
  if (fs.existsSync(target)) {
    keptAs = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    // The old WAL belongs to the old file: left beside the restored one, SQLite would replay it.
    for (const suffix of SIDE_FILES) if (fs.existsSync(`${target}${suffix}`)) fs.renameSync(`${target}${suffix}`, `${keptAs}${suffix}`);
  }
  fs.renameSync(partial, target);
  return { target, keptAs, ...checked, elapsedMs: Date.now() - started };
}

/** The restored file is sound and is this site's database. */
function checkRestoredFile(file: string): Omit<RestoreReport, 'target' | 'keptAs' | 'elapsedMs'> {
  const db = new Database(file);
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`The restored database failed its integrity check: ${String(integrity)}`);
    const hasMigrations = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (!hasMigrations) throw new Error("The restored file has no schema_migrations table: it is not this site's database.");
    const applied = db.prepare<[], string>('SELECT name FROM schema_migrations').pluck().all();
    const known = new Set(listMigrations());
    const unknown = applied.filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new Error(
        `The restored database was migrated by a newer version of the site (${unknown.join(', ')}): restore it with that version.`,
      );
    }
    const count = (table: string): number => db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get() ?? 0;
    // The restored file is left in WAL mode, as the site opens it; nothing else is changed.
    db.pragma('journal_mode = WAL');
    return { articles: count('articles'), subscriptions: count('subscriptions'), pendingMigrations: known.size - applied.length };
  } finally {
    db.close();
  }
}
