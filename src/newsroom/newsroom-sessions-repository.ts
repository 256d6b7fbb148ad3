import type { Db } from '../db/open-database';

export type StoredSession = { idHash: string; userId: number; csrfSecret: string; createdAt: string; lastSeenAt: string };

export function createNewsroomSessionsRepository(db: Db) {
  const insert = db.prepare<StoredSession>(
    `INSERT INTO newsroom_sessions (id_hash, user_id, csrf_secret, created_at, last_seen_at)
     VALUES (@idHash, @userId, @csrfSecret, @createdAt, @lastSeenAt)`,
  );
  const find = db.prepare<[string], StoredSession>(
    `SELECT id_hash AS idHash, user_id AS userId, csrf_secret AS csrfSecret, created_at AS createdAt, last_seen_at AS lastSeenAt
     FROM newsroom_sessions WHERE id_hash = ?`,
  );
  const touch = db.prepare<{ idHash: string; now: string }>('UPDATE newsroom_sessions SET last_seen_at = @now WHERE id_hash = @idHash');
  const remove = db.prepare<[string]>('DELETE FROM newsroom_sessions WHERE id_hash = ?');
  const removeForUser = db.prepare<[number]>('DELETE FROM newsroom_sessions WHERE user_id = ?');
  const removeForUserExcept = db.prepare<[number, string]>('DELETE FROM newsroom_sessions WHERE user_id = ? AND id_hash <> ?');
  const prune = db.prepare<{ idleBefore: string; createdBefore: string }>(
    'DELETE FROM newsroom_sessions WHERE last_seen_at < @idleBefore OR created_at < @createdBefore',
  );
  return {
    add: (session: StoredSession): void => void insert.run(session),
    find: (idHash: string): StoredSession | undefined => find.get(idHash),
    touch: (idHash: string, now: string): void => void touch.run({ idHash, now }),
    remove: (idHash: string): void => void remove.run(idHash),
    removeForUser: (userId: number): number => removeForUser.run(userId).changes,
    removeForUserExcept: (userId: number, keepIdHash: string): number => removeForUserExcept.run(userId, keepIdHash).changes,
    prune: (idleBefore: string, createdBefore: string): void => void prune.run({ idleBefore, createdBefore }),
  };
}

export type NewsroomSessionsRepository = ReturnType<typeof createNewsroomSessionsRepository>;
