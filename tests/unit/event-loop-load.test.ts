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
  await idleFor(150);
  expect(load.utilization()).toBeLessThan(0.5);
});

test('reads as idle before a window has passed', () => {
  expect(createEventLoopLoad(60_000).utilization()).toBe(0);
});
