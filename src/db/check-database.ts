import fs from 'node:fs';
import path from 'node:path';
import { ensureDirectory } from './ensure-directory';
import { openDatabase, type Db } from './open-database';

export class DatabaseStartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseStartupError';
  }
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Opens the database for the server and refuses to go on, with a message an operator can act on,
 * when the file is corrupt, unreadable, or cannot be written. Runs before any migration, so a
 * damaged file is never touched.
 */
export function openCheckedDatabase(file: string): Db {
  const dir = path.dirname(file);
  try {
    ensureDirectory(dir);
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new DatabaseStartupError(
      `The database folder ${dir} cannot be written (${reason(error)}). Check DATABASE_PATH and the folder's permissions.`,
    );
  }
  if (fs.existsSync(file)) {
    try {
      fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
    } catch (error) {
      throw new DatabaseStartupError(`The database file ${file} cannot be read and written (${reason(error)}).`);
    }
  }
  let db: Db;
  try {
    db = openDatabase(file);
  } catch (error) {
    throw new DatabaseStartupError(
      `The database file ${file} could not be opened: ${reason(error)}. It may be corrupt or not an SQLite database; restore it from a backup.`,
    );
  }
  try {
    const problems = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
    if (problems.length !== 1 || problems[0]!.quick_check !== 'ok') {
      throw new DatabaseStartupError(
        `The database file ${file} is corrupt (${problems
          .slice(0, 3)
          .map((p) => p.quick_check)
          .join('; ')}). Restore it from a backup (see docs/operations.md).`,
      );
    }
    // A write transaction that changes nothing: fails now, not on the first sign-up, when the
    // file or its folder is read-only.
    db.exec('BEGIN IMMEDIATE; ROLLBACK;');
  } catch (error) {
    db.close();
    if (error instanceof DatabaseStartupError) throw error;
    throw new DatabaseStartupError(
      `The database file ${file} failed its start-up check: ${reason(error)}. Restore it from a backup (see docs/operations.md).`,
    );
  }
  return db;
}
