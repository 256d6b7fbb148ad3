import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { Db } from '../db/open-database';
import { createCachePurgesRepository } from './cache-purges-repository';
import type { CachePurger } from './cache-purger';
import { keysToPurge } from './purge-keys';

// One loop in the primary process keeps shared caches in step with the database:
// - a story scheduled for later is announced the moment its time comes (no cron, no reader's
//   visit): it is queued as arriving and the content version moves, so every worker's page cache
//   and every cache node drop the pages it joins; a promo's start and end time likewise purge
//   the pages showing promos;
// - the purge queue that triggers fill (migration 0022) is drained and sent to the cache nodes.
// It polls: a look at an index and an empty table, four times a second.

export const EDGE_SYNC_INTERVAL_MS = 250;
const BATCH = 1000;
/** How far back a starting process looks for stories whose time came while no site was running. */
const LOOK_BACK_MS = 24 * 3600 * 1000;

export type EdgeSync = { stop(): Promise<void>; /** Runs one pass now (tests). */ tick(): Promise<void> };

export function startEdgeSync(options: { db: Db; purger: CachePurger; logger: Logger; now: Clock; intervalMs?: number }): EdgeSync {
  const { db, purger, logger, now } = options;
  const repository = createCachePurgesRepository(db);
  const startedAt = now().getTime();
  const announced = repository.announcedUntil();
  let after = new Date(Math.max(announced ? Date.parse(announced) : startedAt, startedAt - LOOK_BACK_MS)).toISOString();

  const announce = (): void => {
    const until = now().toISOString();
    if (until <= after) return;
    const arrived = repository.announceArrivals(after, until);
    after = until;
    if (arrived.stories.length > 0) logger.info({ articleIds: arrived.stories }, 'scheduled stories are live');
    if (arrived.promos > 0) logger.info({ promos: arrived.promos }, 'promos started or ended');
  };

  const drain = async (): Promise<void> => {
    for (;;) {
      const batch = repository.oldest(BATCH);
      if (batch.length === 0) return;
      if (purger.enabled) await purger.purge(keysToPurge(repository, batch));
      repository.removeThrough(batch[batch.length - 1]!.id);
      if (batch.length < BATCH) return;
    }
  };

  let running: Promise<void> | null = null;
  const tick = (): Promise<void> => {
    running ??= (async () => {
      try {
        announce();
        await drain();
      } catch (error) {
        // A busy or briefly unreadable database: the next pass tries again, nothing is lost.
        logger.warn({ err: error }, 'edge sync pass failed; trying again');
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const timer = setInterval(() => void tick(), options.intervalMs ?? EDGE_SYNC_INTERVAL_MS);
  timer.unref();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
      await tick(); // what the last moments queued
    },
  };
}
