import type { Db } from '../db/open-database';

export type AuditEntry = { at: string; userId: number | null; email: string; action: string; subject: string; detail: string };

export function createNewsroomAuditRepository(db: Db) {
  const insert = db.prepare<AuditEntry>(
    'INSERT INTO newsroom_audit (at, user_id, email, action, subject, detail) VALUES (@at, @userId, @email, @action, @subject, @detail)',
  );
  const page = db.prepare<{ limit: number; offset: number }, AuditEntry & { id: number }>(
    `SELECT id, at, user_id AS userId, email, action, subject, detail FROM newsroom_audit ORDER BY id DESC LIMIT @limit OFFSET @offset`,
  );
  const count = db.prepare<[], number>('SELECT count(*) FROM newsroom_audit').pluck();
  return {
    add: (entry: AuditEntry): void => void insert.run(entry),
    page: (limit: number, offset: number) => page.all({ limit, offset }),
    count: (): number => count.get()!,
  };
}

export type NewsroomAuditRepository = ReturnType<typeof createNewsroomAuditRepository>;
