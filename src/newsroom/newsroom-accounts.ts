import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/open-database';
import { createMailOutboxRepository } from '../mail/mail-outbox-repository';
import { createNewsroomAuditRepository } from './newsroom-audit-repository';
import { createNewsroomSessionsRepository } from './newsroom-sessions-repository';
import { createNewsroomUsersRepository, type NewsroomUser, type Role } from './newsroom-users-repository';
import { NewsroomSessions, type NewsroomSession } from './newsroom-sessions';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords';
import { createSigninFailuresRepository } from './signin-failures-repository';
import { SigninThrottle, signinSubjects } from './signin-throttle';

// The newsroom's accounts: signing in and out, adding people, their roles, passwords and
// disabling them. Every change is written to the audit log in the same transaction.

/** How long the link to choose a first password works. */
export const SETUP_LINK_MS = 72 * 60 * 60_000;

export type SigninResult =
  | { ok: true; user: NewsroomUser; sessionId: string }
  | { ok: false; reason: 'invalid'; delayMs: number }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

export type Actor = Pick<NewsroomUser, 'id' | 'email'>;

export class AccountError extends Error {}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function createNewsroomAccounts(db: Db, options: { siteUrl: string; siteName: string }) {
  const users = createNewsroomUsersRepository(db);
  const audit = createNewsroomAuditRepository(db);
  const outbox = createMailOutboxRepository(db);
  const sessions = new NewsroomSessions(createNewsroomSessionsRepository(db), users);
  const throttle = new SigninThrottle(createSigninFailuresRepository(db));

  const record = (actor: Actor | null, action: string, subject: string, detail: string, now: string) =>
    audit.add({ at: now, userId: actor?.id ?? null, email: actor?.email ?? '(command line)', action, subject, detail });

  const setupMail = (email: string, role: Role, link: string, invitedBy: string) => ({
    subscription_id: null,
    kind: 'newsroom-invitation',
    to_address: email,
    subject: `Your ${options.siteName} newsroom account`,
    text_body: [
      `${invitedBy} has made you a newsroom account (${role}) at ${options.siteName}.`,
      '',
      'Choose your password here (the link works for 72 hours, once):',
      link,
      '',
      'If you did not expect this, ignore this mail.',
    ].join('\n'),
    html_body: '',
    headers: {},
  });

  return {
    users,
    sessions,
    audit,

    async signIn(email: string, password: string, clientAddress: string, nowMs: number): Promise<SigninResult> {
      const subjects = signinSubjects(email, clientAddress);
      const lockedUntil = throttle.lockedUntil(subjects, nowMs);
      if (lockedUntil !== null) return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil((lockedUntil - nowMs) / 1000) };
      const user = users.findByEmail(email.trim());
      // An unknown address, a disabled account or one without a password costs the same hash.
      const usable = user && user.disabledAt === null && user.passwordHash !== null ? user : undefined;
      const matches = await verifyPassword(password, usable?.passwordHash ?? (await decoyHash()));
      if (!usable || !matches) return { ok: false, reason: 'invalid', delayMs: throttle.recordFailure(subjects, nowMs) };
      throttle.recordSuccess(subjects);
      const sessionId = sessions.start(usable.id, nowMs);
      record(usable, 'signed in', `user ${usable.id}`, '', new Date(nowMs).toISOString());
      return { ok: true, user: usable, sessionId };
    },

    signOut(session: NewsroomSession, nowMs: number): void {
      sessions.end(session);
      record(session.user, 'signed out', `user ${session.user.id}`, '', new Date(nowMs).toISOString());
    },

    /** The first account (and any other) from the shell: `newsroom:add-user`. */
    async addWithPassword(email: string, role: Role, password: string, now: string): Promise<NewsroomUser> {
      const problem = passwordProblem(password);
      if (problem) throw new AccountError(problem);
      if (users.findByEmail(email)) throw new AccountError(`${email} already has a newsroom account.`);
      const passwordHash = await hashPassword(password);
      return db.transaction(() => {
        const id = users.add({ email, role, passwordHash, setupTokenHash: null, setupExpiresAt: null }, now);
        record(null, 'added user', `user ${id}`, `${email} as ${role}`, now);
        return users.findById(id)!;
      })();
    },

    /** An account added by an admin: its holder chooses a password through a mailed link. */
    invite(actor: Actor, email: string, role: Role, nowMs: number): { user: NewsroomUser; setupUrl: string } {
      if (users.findByEmail(email)) throw new AccountError(`${email} already has a newsroom account.`);
      const token = randomBytes(32).toString('base64url');
      const setupUrl = `${options.siteUrl}/admin/welcome/${token}`;
      const now = new Date(nowMs).toISOString();
      const expires = new Date(nowMs + SETUP_LINK_MS).toISOString();
      return db.transaction(() => {
        const id = users.add({ email, role, passwordHash: null, setupTokenHash: hashToken(token), setupExpiresAt: expires }, now);
        outbox.enqueue(setupMail(email, role, setupUrl, actor.email), now);
        record(actor, 'added user', `user ${id}`, `${email} as ${role}`, now);
        return { user: users.findById(id)!, setupUrl };
      })();
    },

    /** The account a setup link names, if the link still works. */
    setupLinkUser(token: string, nowMs: number): NewsroomUser | 'invalid' | 'expired' {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return 'invalid';
      const user = users.findBySetupTokenHash(hashToken(token));
      if (!user || user.disabledAt !== null) return 'invalid';
      return Date.parse(user.setupExpiresAt ?? '') < nowMs ? 'expired' : user;
    },

    async completeSetup(token: string, password: string, nowMs: number): Promise<NewsroomUser | 'invalid' | 'expired'> {
      const found = this.setupLinkUser(token, nowMs);
      if (typeof found === 'string') return found;
      const hash = await hashPassword(password);
      const now = new Date(nowMs).toISOString();
      db.transaction(() => {
        users.setPassword(found.id, hash, now);
        sessions.endAllFor(found.id);
        record(found, 'chose a password', `user ${found.id}`, '', now);
      })();
      return users.findById(found.id)!;
    },

    /** A new password for the signed-in user; every other session of theirs ends. */
    async changePassword(session: NewsroomSession, current: string, next: string, nowMs: number): Promise<'changed' | 'wrong password'> {
      if (!(await verifyPassword(current, session.user.passwordHash ?? (await decoyHash())))) return 'wrong password';
      const hash = await hashPassword(next);
      const now = new Date(nowMs).toISOString();
      db.transaction(() => {
        users.setPassword(session.user.id, hash, now);
        sessions.endAllFor(session.user.id, session);
        record(session.user, 'changed password', `user ${session.user.id}`, '', now);
      })();
      return 'changed';
    },

    /** An admin changes someone's role or disables them; the last admin cannot be removed. */
    changeUser(actor: Actor, userId: number, change: { role?: Role; disabled?: boolean }, nowMs: number): NewsroomUser {
      const now = new Date(nowMs).toISOString();
      return db.transaction(() => {
        const user = users.findById(userId);
        if (!user) throw new AccountError('There is no such account.');
        const losesAdmin =
          user.role === 'admin' && user.disabledAt === null && ((change.role && change.role !== 'admin') || change.disabled === true);
        if (losesAdmin && users.activeAdminCount() <= 1)
          throw new AccountError('The newsroom needs at least one admin: make someone else admin first.');
        if (change.role && change.role !== user.role) {
          users.setRole(user.id, change.role, now);
          record(actor, 'changed role', `user ${user.id}`, `${user.email}: ${user.role} → ${change.role}`, now);
        }
        if (change.disabled !== undefined && change.disabled !== (user.disabledAt !== null)) {
          users.setDisabled(user.id, change.disabled ? now : null, now);
          if (change.disabled) sessions.endAllFor(user.id);
          record(actor, change.disabled ? 'disabled user' : 'enabled user', `user ${user.id}`, user.email, now);
        }
        return users.findById(user.id)!;
      })();
    },
  };
}

export type NewsroomAccounts = ReturnType<typeof createNewsroomAccounts>;
