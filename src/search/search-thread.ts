// A search thread (search-threads.ts): its own read-only connection to the database, answering
// one SearchTask at a time. SQLite in WAL mode lets it read while the main thread writes.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/open-database';
import { findResults, type SearchTask } from './search-findings';
import { createSearchRepository } from './search-repository';
import { lowerThisThreadsPriority } from './thread-priority';

const { databasePath, nice } = workerData as { databasePath: string; nice: number };
// Pages, feeds and sign-ups come first: when the cores are all busy, the kernel gives them to the
// main thread before this one. When they are not, a search runs as fast as ever.
lowerThisThreadsPriority(nice);
const search = createSearchRepository(openDatabase(databasePath, { readonly: true }));
// Read before the first search arrives, so that it does not wait for the read.
search.readVisibleStories();

// Each answer says how long the search took here, which the pool uses to judge how long a
// newcomer would wait.
parentPort!.on('message', ({ id, task }: { id: number; task: SearchTask }) => {
  const started = performance.now();
  try {
    const findings = findResults(search, task);
    parentPort!.postMessage({ id, findings, ms: performance.now() - started });
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).message, ms: performance.now() - started });
  }
});
