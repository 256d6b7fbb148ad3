import { isIPv6 } from 'node:net';
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

/**
 * The subject a client's rate limits count against: its IPv4 address, or for IPv6 its /64 (one
 * customer line or host usually holds a whole /64, so counting single addresses would let it
 * use 2^64 of them). An IPv4 address mapped into IPv6 counts as the IPv4 address.
 */
export function clientSubject(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('%', 1)[0]!.toLowerCase().split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::')
    ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
