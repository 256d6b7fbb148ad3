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
  // The waiting window is read against Node's own measure of it, not against a fixed bound: jest
  // runs every test file in one process on a two-core machine, and by this file other work can
  // keep that process's event loop busy through the wait (a handle an earlier file left, such as
  // a child's output still arriving on a pipe, which alone reads 0.997; or V8's own tasks for a
  // heap grown over the run). Two full runs read 1 and 0.82 here against a bound of 0.5.
  const waitStarted = performance.eventLoopUtilization();
  await idleFor(150);
  const waited = performance.eventLoopUtilization(performance.eventLoopUtilization(), waitStarted).utilization;
  const read = load.utilization();
  expect(Math.abs(read - waited)).toBeLessThan(0.1);
});

test('reads as idle before a window has passed', () => {
  expect(createEventLoopLoad(60_000).utilization()).toBe(0);
});
