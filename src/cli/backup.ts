// npm run backup -- DEST: an online, consistent copy of the database while the site serves.
// SQLite's backup API copies page by page and restarts if a writer changes the source mid-way,
// so the copy is a snapshot of one moment; the copy is then checked with integrity_check.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../config';
import { openDatabase } from '../db/open-database';
import { runCommand } from './run-command';

runCommand(async () => {
  const [destination, ...rest] = process.argv.slice(2);
  if (!destination || rest.length > 0) throw new Error('Usage: npm run backup -- DEST.db');
  const target = path.resolve(destination);
  if (fs.existsSync(target)) throw new Error(`${target} exists already; choose a new file name.`);
  const config = loadConfig();
  const source = openDatabase(config.databasePath, { readonly: true });
  const partial = `${target}.partial`;
  try {
    await source.backup(partial);
  } finally {
    source.close();
  }
  const copy = new Database(partial);
  try {
    const result = copy.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`The copy failed its integrity check: ${String(result)}`);
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  fs.renameSync(partial, target);
  console.log(`Backed up ${config.databasePath} to ${target} (${Math.round(fs.statSync(target).size / 1024)} KiB, integrity ok).`);
});
