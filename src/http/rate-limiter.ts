import type { Db } from '../db/open-database';
import { TooManyRequestsError } from '../errors';
import { createRateLimitRepository } from './rate-limits-repository';

export type RateLimit = { name: string; limit: number; windowSeconds: number; /** "from your connection" */ scope: string };

/**
 * Fixed-window rate limits counted in SQLite, so every worker process shares them. consume()
 * throws a 429 error carrying how long until the window ends.
 */
export class RateLimiter {
  private readonly counters;
  private calls = 0;

  constructor(db: Db) {
    this.counters = createRateLimitRepository(db);
  }

  consume(rule: RateLimit, subject: string, nowMs: number): void {
    const now = Math.floor(nowMs / 1000);
    const windowStart = now - (now % rule.windowSeconds);
    const count = this.counters.hit(`${rule.name}:${subject}`, windowStart);
    if ((this.calls += 1) % 200 === 0) this.counters.prune(now - 86_400);
    if (count > rule.limit) {
      const retryAfter = Math.max(1, windowStart + rule.windowSeconds - now);
      const minutes = Math.ceil(retryAfter / 60);
      throw new TooManyRequestsError(
        retryAfter,
        `There have been too many attempts ${rule.scope}. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      );
    }
  }
}
