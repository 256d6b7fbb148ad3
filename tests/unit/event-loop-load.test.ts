import { performance } from 'node:perf_hooks';
import { createEventLoopLoad } from '../../src/http/event-loop-load';

// Search admission asks how busy the main thread has been (search-threads.ts): a thread that spent
// the last window running code must read as busy, and one that spent it waiting as idle.

const busyFor = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
const idleFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('reads a window spent running code as busy, and a window spent waiting as idle', async () => {
  const load = createEventLoopLoad(100);
  busyFor(150);
  expect(load.utilization()).toBeGreaterThan(0.9);
  // Within the window just opened, the answer stays the last window's.
  expect(load.utilization()).toBeGreaterThan(0.9);
  // The waiting window is read against Node's own measure of it: jest runs every test file in one
  // process here, and a handle an earlier file left behind (a child's output still arriving on a
  // pipe) keeps the event loop busy without this test's doing. Once a run read 1 here for that
  // reason; a chatty pipe alone reads 0.997.
  const waitStarted = performance.eventLoopUtilization();
  await idleFor(150);
  const waited = performance.eventLoopUtilization(performance.eventLoopUtilization(), waitStarted).utilization;
  const read = load.utilization();
  expect(Math.abs(read - waited)).toBeLessThan(0.1);
});

test('reads as idle before a window has passed', () => {
  expect(createEventLoopLoad(60_000).utilization()).toBe(0);
});
