import fs from 'node:fs';
import os from 'node:os';

/**
 * Lowers the scheduling priority of the calling thread alone (a higher nice value), and says
 * whether it could. On Linux a thread has its own nice value, set through its thread id, which
 * /proc/thread-self names; `os.setPriority(pid)` on the process would lower every thread, the
 * event loop serving pages included. Elsewhere (no /proc) it does nothing: searches then simply
 * compete with pages as equals. Raising one's own nice value needs no privilege.
 */
export function lowerThisThreadsPriority(nice: number): boolean {
  if (nice <= 0) return false;
  try {
    const tid = Number(/task\/(\d+)$/.exec(fs.readlinkSync('/proc/thread-self'))?.[1]);
    if (!Number.isInteger(tid) || tid <= 0) return false;
    os.setPriority(tid, Math.min(19, Math.max(os.getPriority(tid), nice)));
    return true;
  } catch {
    return false;
  }
}
