import type { SigninFailuresRepository } from './signin-failures-repository';

// Guessing passwords is slowed, then stopped, per account and per client address. Failures count
// within a window; from the third on, the answer to each failure waits a little longer; past the
// limit the subject is locked for a while and even the right password is refused. The account
// is the address typed, known or not, so a locked unknown address answers as a locked known one.

export const FAILURE_WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;
export const ACCOUNT_FAILURE_LIMIT = 5;
export const ADDRESS_FAILURE_LIMIT = 20;
const MAX_DELAY_MS = 4_000;

export type SigninSubjects = { account: string; address: string };

export const signinSubjects = (email: string, clientAddress: string): SigninSubjects => ({
  account: `account:${email.trim().toLowerCase()}`,
  address: `address:${clientAddress}`,
});

export class SigninThrottle {
  constructor(private readonly failures: SigninFailuresRepository) {}

  /** Until when the account or the address is locked (the later of the two), or null. */
  lockedUntil(subjects: SigninSubjects, nowMs: number): number | null {
    let until: number | null = null;
    for (const subject of [subjects.account, subjects.address]) {
      const locked = this.failures.find(subject)?.lockedUntil;
      if (locked && Date.parse(locked) > nowMs) until = Math.max(until ?? 0, Date.parse(locked));
    }
    return until;
  }

  /** Counts a failure for both subjects; returns how long to hold the answer. */
  recordFailure(subjects: SigninSubjects, nowMs: number): number {
    const account = this.count(subjects.account, ACCOUNT_FAILURE_LIMIT, nowMs);
    const address = this.count(subjects.address, ADDRESS_FAILURE_LIMIT, nowMs);
    const failures = Math.max(account, address >= ADDRESS_FAILURE_LIMIT / 2 ? address : 0);
    return failures < 3 ? 0 : Math.min(MAX_DELAY_MS, (failures - 2) * 1_000);
  }

  recordSuccess(subjects: SigninSubjects): void {
    this.failures.clear(subjects.account);
  }

  private count(subject: string, limit: number, nowMs: number): number {
    const previous = this.failures.find(subject);
    const fresh = !previous || nowMs - Date.parse(previous.firstAt) > FAILURE_WINDOW_MS;
    const failures = fresh ? 1 : previous.failures + 1;
    const firstAt = fresh ? new Date(nowMs).toISOString() : previous.firstAt;
    const lockedUntil = failures >= limit ? new Date(nowMs + LOCK_MS).toISOString() : null;
    this.failures.save({ subject, failures: lockedUntil ? 0 : failures, firstAt, lockedUntil });
    return failures;
  }
}
