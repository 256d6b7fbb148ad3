import path from 'node:path';
import Database from 'better-sqlite3';
import { ensureDirectory } from './ensure-directory';

export type Db = Database.Database;

/** How long a statement waits for another process's write lock before failing. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the SQLite file with the pragmas every connection needs: WAL so that
 * readers never wait for the writer, foreign keys enforced, and a busy timeout so that a second
 * process writing at the same moment waits briefly instead of failing.
 */
export function openDatabase(file: string, options: { readonly?: boolean; replicated?: boolean } = {}): Db {
  if (file !== ':memory:' && !options.readonly) ensureDirectory(path.dirname(file));
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!options.readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // NORMAL is durable across application crashes in WAL mode; only a power loss can drop the
  // last transactions, which is the usual trade-off for a web workload.
  db.pragma('synchronous = NORMAL');
  // Under Litestream, Litestream checkpoints the WAL once it has copied it (its documentation's
  // advice): a checkpoint by the site could race it and force a fresh snapshot of the database.
  if (options.replicated && !options.readonly) db.pragma('wal_autocheckpoint = 0');
  return db;
}
