import type { Db } from '../db/open-database';

export function createRateLimitRepository(db: Db) {
  const hit = db
    .prepare<{ key: string; window: number }, number>(
      `INSERT INTO rate_limits (key, window_start, count) VALUES (@key, @window, 1)
     ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1
     RETURNING count`,
    )
    .pluck();
  const prune = db.prepare<[number]>('DELETE FROM rate_limits WHERE window_start < ?');
  return {
    /** Counts one more request for `key` in the window starting at `window`; returns the count so far. */
    hit: (key: string, window: number): number => hit.get({ key, window })!,
    /** Forgets windows that started before `before`. */
    prune: (before: number): void => void prune.run(before),
  };
}

export type RateLimitRepository = ReturnType<typeof createRateLimitRepository>;
