import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NewsroomSessionsRepository } from './newsroom-sessions-repository';
import type { NewsroomUser, NewsroomUsersRepository } from './newsroom-users-repository';

// Server-side sessions in SQLite. The browser holds a random id; the table holds its SHA-256, the
// account, a per-session secret that every newsroom form carries (CSRF), and two times: a session
// unused for IDLE_MS or older than ABSOLUTE_MS is over, whatever the browser still holds.

export const IDLE_MS = 60 * 60_000;
export const ABSOLUTE_MS = 12 * 60 * 60_000;
/** last_seen_at is written at most this often, so that reading pages is not a write each time. */
const TOUCH_EVERY_MS = 60_000;

export type NewsroomSession = { idHash: string; user: NewsroomUser; csrfToken: string };

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

export class NewsroomSessions {
  constructor(
    private readonly sessions: NewsroomSessionsRepository,
    private readonly users: NewsroomUsersRepository,
  ) {}

  /** A new session for `userId`; returns the id for the cookie (a new one at every sign-in). */
  start(userId: number, nowMs: number): string {
    const id = randomBytes(32).toString('base64url');
    const now = new Date(nowMs).toISOString();
    this.sessions.add({ idHash: hashId(id), userId, csrfSecret: randomBytes(24).toString('base64url'), createdAt: now, lastSeenAt: now });
    if (Math.random() < 0.05) this.prune(nowMs);
    return id;
  }

  /** The live session a cookie names, or null (and the stale row gone) when there is none. */
  find(id: string | undefined, nowMs: number): NewsroomSession | null {
    if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
    const idHash = hashId(id);
    const stored = this.sessions.find(idHash);
    if (!stored) return null;
    const user = this.users.findById(stored.userId);
    const idle = nowMs - Date.parse(stored.lastSeenAt) > IDLE_MS;
    const tooOld = nowMs - Date.parse(stored.createdAt) > ABSOLUTE_MS;
    if (!user || user.disabledAt !== null || user.passwordHash === null || idle || tooOld) {
      this.sessions.remove(idHash);
      return null;
    }
    if (nowMs - Date.parse(stored.lastSeenAt) > TOUCH_EVERY_MS) this.sessions.touch(idHash, new Date(nowMs).toISOString());
    return { idHash, user, csrfToken: stored.csrfSecret };
  }

  /** Whether a form's `_csrf` is this session's. */
  checkCsrf(session: NewsroomSession, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const given = Buffer.from(token);
    const expected = Buffer.from(session.csrfToken);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  end(session: NewsroomSession): void {
    this.sessions.remove(session.idHash);
  }

  /** Ends every session of a user (a new password, a disabled account), or all but `keep`. */
  endAllFor(userId: number, keep?: NewsroomSession): number {
    return keep ? this.sessions.removeForUserExcept(userId, keep.idHash) : this.sessions.removeForUser(userId);
  }

  private prune(nowMs: number): void {
    this.sessions.prune(new Date(nowMs - IDLE_MS).toISOString(), new Date(nowMs - ABSOLUTE_MS).toISOString());
  }
}
