import type { Db } from '../db/open-database';

export type SigninFailures = { subject: string; failures: number; firstAt: string; lockedUntil: string | null };

export function createSigninFailuresRepository(db: Db) {
  const find = db.prepare<[string], SigninFailures>(
    'SELECT subject, failures, first_at AS firstAt, locked_until AS lockedUntil FROM newsroom_signin_failures WHERE subject = ?',
  );
  const save = db.prepare<SigninFailures>(
    `INSERT INTO newsroom_signin_failures (subject, failures, first_at, locked_until) VALUES (@subject, @failures, @firstAt, @lockedUntil)
     ON CONFLICT (subject) DO UPDATE SET failures = excluded.failures, first_at = excluded.first_at, locked_until = excluded.locked_until`,
  );
  const clear = db.prepare<[string]>('DELETE FROM newsroom_signin_failures WHERE subject = ?');
  return {
    find: (subject: string): SigninFailures | undefined => find.get(subject),
    save: (record: SigninFailures): void => void save.run(record),
    clear: (subject: string): void => void clear.run(subject),
  };
}

export type SigninFailuresRepository = ReturnType<typeof createSigninFailuresRepository>;
