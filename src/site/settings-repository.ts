import { randomBytes } from 'node:crypto';
import type { Db } from '../db/open-database';

/**
 * The site's signing secret: from configuration when given, otherwise made once and kept in the
 * settings table (INSERT OR IGNORE, so concurrent first starts agree on one value).
 */
export function loadOrCreateSecret(db: Db, configured: string | undefined): Buffer {
  if (configured) return Buffer.from(configured, 'utf8');
  db.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES ('secret_key', ?)").run(randomBytes(32).toString('base64'));
  const value = db.prepare("SELECT value FROM settings WHERE key = 'secret_key'").pluck().get() as string;
  return Buffer.from(value, 'base64');
}
