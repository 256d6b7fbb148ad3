import type { Db } from '../db/open-database';

export type ContentVersion = { version: number; changed_at: string };

/** The counter that triggers bump on every change to what pages show (migration 0014). */
export function createContentVersionRepository(db: Db) {
  const current = db.prepare<[], ContentVersion>('SELECT version, changed_at FROM content_version WHERE id = 1');
  return { current: (): ContentVersion => current.get()! };
}
