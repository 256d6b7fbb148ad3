import type { Db } from '../db/open-database';

export const ROLES = ['writer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type NewsroomUser = {
  id: number;
  email: string;
  role: Role;
  passwordHash: string | null;
  setupExpiresAt: string | null;
  disabledAt: string | null;
  createdAt: string;
};

const COLUMNS = `id, email, role, password_hash AS passwordHash, setup_expires_at AS setupExpiresAt,
  disabled_at AS disabledAt, created_at AS createdAt`;

export function createNewsroomUsersRepository(db: Db) {
  const insert = db.prepare<{
    email: string;
    role: Role;
    passwordHash: string | null;
    setupTokenHash: string | null;
    setupExpiresAt: string | null;
    now: string;
  }>(
    `INSERT INTO newsroom_users (email, role, password_hash, setup_token_hash, setup_expires_at, created_at, updated_at)
     VALUES (@email, @role, @passwordHash, @setupTokenHash, @setupExpiresAt, @now, @now)`,
  );
  const byEmail = db.prepare<[string], NewsroomUser>(`SELECT ${COLUMNS} FROM newsroom_users WHERE email = ?`);
  const byId = db.prepare<[number], NewsroomUser>(`SELECT ${COLUMNS} FROM newsroom_users WHERE id = ?`);
  const bySetupToken = db.prepare<[string], NewsroomUser>(`SELECT ${COLUMNS} FROM newsroom_users WHERE setup_token_hash = ?`);
  const all = db.prepare<[], NewsroomUser>(`SELECT ${COLUMNS} FROM newsroom_users ORDER BY disabled_at IS NOT NULL, email`);
  const setPassword = db.prepare<{ id: number; hash: string; now: string }>(
    `UPDATE newsroom_users SET password_hash = @hash, setup_token_hash = NULL, setup_expires_at = NULL, updated_at = @now WHERE id = @id`,
  );
  const setRole = db.prepare<{ id: number; role: Role; now: string }>(
    'UPDATE newsroom_users SET role = @role, updated_at = @now WHERE id = @id',
  );
  const setDisabled = db.prepare<{ id: number; disabledAt: string | null; now: string }>(
    'UPDATE newsroom_users SET disabled_at = @disabledAt, updated_at = @now WHERE id = @id',
  );
  const setSetupToken = db.prepare<{ id: number; tokenHash: string; expiresAt: string; now: string }>(
    'UPDATE newsroom_users SET setup_token_hash = @tokenHash, setup_expires_at = @expiresAt, updated_at = @now WHERE id = @id',
  );
  const activeAdmins = db
    .prepare<[], number>("SELECT count(*) FROM newsroom_users WHERE role = 'admin' AND disabled_at IS NULL AND password_hash IS NOT NULL")
    .pluck();

  return {
    add: (
      user: { email: string; role: Role; passwordHash: string | null; setupTokenHash: string | null; setupExpiresAt: string | null },
      now: string,
    ): number => Number(insert.run({ ...user, now }).lastInsertRowid),
    findByEmail: (email: string): NewsroomUser | undefined => byEmail.get(email),
    findById: (id: number): NewsroomUser | undefined => byId.get(id),
    findBySetupTokenHash: (tokenHash: string): NewsroomUser | undefined => bySetupToken.get(tokenHash),
    list: (): NewsroomUser[] => all.all(),
    setPassword: (id: number, hash: string, now: string): void => void setPassword.run({ id, hash, now }),
    setRole: (id: number, role: Role, now: string): void => void setRole.run({ id, role, now }),
    setDisabled: (id: number, disabledAt: string | null, now: string): void => void setDisabled.run({ id, disabledAt, now }),
    setSetupToken: (id: number, tokenHash: string, expiresAt: string, now: string): void =>
      void setSetupToken.run({ id, tokenHash, expiresAt, now }),
    activeAdminCount: (): number => activeAdmins.get()!,
  };
}

export type NewsroomUsersRepository = ReturnType<typeof createNewsroomUsersRepository>;
