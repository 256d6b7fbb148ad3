import { performance, type EventLoopUtilization } from 'node:perf_hooks';

// How busy this thread's event loop has been lately: the share of the last window that it spent
// running code rather than waiting for something to do (Node's event-loop utilization). It is the
// main thread's, which serves every page: search admission asks it (search-threads.ts), so that
// searches give way when that thread is what pages are waiting for.
//
// Read on demand, with no timer: the first question after a window has passed closes it and opens
// the next, and the answer is the share over the window just closed. After a quiet spell the window
// is long and its share low, which is right: the thread was not busy.

export type EventLoopLoad = {
  /** The share (0 to 1) of the last complete window the event loop spent busy. */
  utilization: () => number;
};

export function createEventLoopLoad(windowMs = 250): EventLoopLoad {
  let opened: EventLoopUtilization = performance.eventLoopUtilization();
  let openedAt = performance.now();
  let last = 0;
  return {
    utilization() {
      const now = performance.now();
      if (now - openedAt >= windowMs) {
        const current = performance.eventLoopUtilization();
        last = performance.eventLoopUtilization(current, opened).utilization;
        opened = current;
        openedAt = now;
      }
      return last;
    },
  };
}
