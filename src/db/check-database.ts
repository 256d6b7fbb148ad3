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
export function openCheckedDatabase(file: string, options: { replicated?: boolean } = {}): Db {
  const dir = path.dirname(file);
  // What is wrong with the path itself, said as such: not as a database that "may be corrupt".
  if (fs.existsSync(file) && !fs.statSync(file).isFile()) {
    throw new DatabaseStartupError(
      `DATABASE_PATH ${file} is ${fs.statSync(file).isDirectory() ? 'a folder' : 'not a regular file'}: name a file, for example ${path.join(file, 'news.db')}.`,
    );
  }
  const fileAbove = regularFileAbove(dir);
  if (fileAbove) {
    throw new DatabaseStartupError(`DATABASE_PATH ${file} is under ${fileAbove}, which is a file, not a folder. Check DATABASE_PATH.`);
  }
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
  const existed = fs.existsSync(file);
  let db: Db;
  try {
    db = openDatabase(file, options);
  } catch (error) {
    if (!existed) {
      throw new DatabaseStartupError(
        `The database file ${file} could not be created (${reason(error)}). DATABASE_PATH must name a file on a disk that can be written (not /proc or /sys).`,
      );
    }
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

/** The nearest existing ancestor of `dir` (itself included) when it is a file rather than a folder. */
function regularFileAbove(dir: string): string | null {
  for (let current = dir; ; current = path.dirname(current)) {
    if (fs.existsSync(current)) return fs.statSync(current).isDirectory() ? null : current;
    if (path.dirname(current) === current) return null;
  }
}
