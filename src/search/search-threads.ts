import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { ServiceUnavailableError } from '../errors';
import { findResults, type SearchFindings, type SearchTask } from './search-findings';
import type { SearchRepository } from './search-repository';

// Searches run on threads of their own, so that a burst of them never holds the event loop that
// serves pages, feeds and sign-ups. Each thread answers one search at a time; more may wait, as
// long as the wait would stay short: at most `queue` of them, and only while the expected wait (the
// searches ahead times the recent time per search, shared among the threads) is under
// `maxWaitMs`. Past that the search is refused at once with a 503 (Retry-After), instead of
// queueing until readers time out: a reader can try again, a page that never came cannot. A count
// alone would refuse too early when searches are quick and wait too long when they are slow.
// While the main thread is busy, pages come first: each thread is handed one search at a time and
// none waits (see room()).
//
// With no threads (SEARCH_THREADS=0), or where there is no built thread file (tests run the
// TypeScript sources in-process), searches run inline as before.

const THREAD_FILE = path.join(__dirname, 'search-thread.js');
/** A thread that died is started again after this pause; past MAX_DEATHS a minute, search runs inline. */
const RESTART_DELAY_MS = 1_000;
const MAX_DEATHS_PER_MINUTE = 5;
export const SEARCH_RETRY_AFTER_SECONDS = 5;
/**
 * Search threads run at this nice value (the main thread keeps 0): when searches and pages want
 * the same cores, the pages get them, and searches take what is left. A refused search can be
 * tried again; a page that stalls cannot. 19, the lowest priority, since there are as many
 * threads as cores (config.ts): measured on the bench with searches and first visits to stories
 * at once, two threads at nice 10 gave the stories a p99 of 47-55 ms, at nice 19 44 ms, as one
 * thread at nice 10 did, with more searches answered beside them (docs/scaling.md).
 */
export const SEARCH_THREAD_NICE = 19;

export class SearchBusyError extends ServiceUnavailableError {
  readonly retryAfterSeconds = SEARCH_RETRY_AFTER_SECONDS;
  /** Refused on purpose: logged as a warning, not as a failure. */
  readonly deliberate = true;
  constructor() {
    super('Search is very busy just now. Please try again in a few seconds; the rest of the site works as usual.');
  }
}

type Pending = { resolve: (findings: SearchFindings) => void; reject: (error: Error) => void };
type Thread = { worker: Worker; pending: Map<number, Pending> };
/**
 * Searches handed to a thread at once. More than one, so that a thread always has its next search
 * in its own inbox: its answer reaches the main thread only when the main thread's event loop gets
 * to it, and under a burst of requests that can take a while, during which a thread with nothing
 * more to do would sit idle. Four, not two: measured on the 100,000-story bench with searches and
 * first visits to stories at once, a thread fed two at a time sat idle about a quarter of the
 * time, and four answered about 1.5 times as many searches with no worse a p99 for the stories
 * (docs/scaling.md).
 */
const PER_THREAD = 4;
/** How much each finished search moves the running average of the time per search. */
const SERVICE_TIME_WEIGHT = 0.1;

export class SearchThreads {
  private readonly threads: Thread[] = [];
  private readonly waiting: { id: number; task: SearchTask; pending: Pending }[] = [];
  private nextId = 0;
  private closing = false;
  private deaths: number[] = [];
  /** Running average of the time a thread takes per search, in ms. */
  private serviceMs = 10;
  private readonly threadFile: string;

  constructor(
    private readonly options: {
      databasePath: string;
      threads: number;
      queue: number;
      /**
       * A search that would wait longer than this for a thread is refused (SEARCH_MAX_WAIT_MS, 15 by
       * default: a search sent after a refusal waits out the refusal's pause first, up to 50 ms, and
       * with the search itself, answers stay under 100 ms at the 99th percentile on the bench, while
       * each thread still has searches waiting in its own inbox; docs/scaling.md).
       */
      maxWaitMs: number;
      logger: Logger;
      inline: SearchRepository;
      /**
       * Whether the main thread, which serves the pages, is busy just now (its event loop's recent
       * utilization above SEARCH_YIELD_AT: app.ts). Unset: never.
       */
      mainThreadBusy?: () => boolean;
      /** The built thread entry (tests name dist's). */
      threadFile?: string;
    },
  ) {
    this.threadFile = options.threadFile ?? THREAD_FILE;
    if (options.threads > 0 && fs.existsSync(this.threadFile)) {
      for (let i = 0; i < options.threads; i += 1) this.threads.push(this.startThread());
    }
  }

  /** Whether searches run on threads (false: inline, in this thread). */
  get threaded(): boolean {
    return this.threads.length > 0;
  }

  /**
   * Whether a search asked for now would be refused: every thread has its share, and the wait
   * behind the searches already waiting would be too long (or the queue is full, or the main
   * thread is busy, when nothing waits). The front door asks this before any work on a search;
   * run() decides by it too.
   */
  get full(): boolean {
    return this.fullWith(this.room());
  }

  private fullWith(room: number): boolean {
    if (!this.threaded) return false;
    if (this.leastBusy(room)) return false;
    // While pages are waiting for the main thread, no search waits for a thread either.
    if (room < PER_THREAD) return true;
    const ahead = this.waiting.length + this.threads.length * PER_THREAD;
    const expectedWaitMs = ((ahead + 1) * this.serviceMs) / this.threads.length;
    return this.waiting.length >= this.options.queue || expectedWaitMs > this.options.maxWaitMs;
  }

  run(task: SearchTask): Promise<SearchFindings> {
    // A search with nothing to look up (no words: the empty form) costs nothing, and is answered
    // here, never refused: only searches that would use a thread are.
    const nothingToLookUp = task.clauses.length === 0 && task.words.length === 0;
    if (!this.threaded || nothingToLookUp) return Promise.resolve(findResults(this.options.inline, task));
    const room = this.room();
    if (this.fullWith(room)) return Promise.reject(new SearchBusyError());
    const idle = this.leastBusy(room);
    return new Promise<SearchFindings>((resolve, reject) => {
      const id = (this.nextId += 1);
      if (idle) return this.send(idle, id, task, { resolve, reject });
      this.waiting.push({ id, task, pending: { resolve, reject } });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
  }

  /**
   * How many searches a thread is handed at once just now: PER_THREAD, or one while the main thread
   * is busy (mainThreadBusy). Every answered search costs the main thread about a millisecond (its
   * page, built and sent), and a page waiting behind it waits that much longer; so while the main
   * thread is what pages wait for, searches take a thread's turn one at a time and the rest are
   * refused, and when it is not, they are handed out as usual. The search threads' low priority
   * gives the pages the cores; this gives them the main thread.
   */
  private room(): number {
    return this.options.mainThreadBusy?.() ? 1 : PER_THREAD;
  }

  /** The thread with the fewest searches, if it has fewer than `room`. */
  private leastBusy(room: number): Thread | undefined {
    let best: Thread | undefined;
    for (const thread of this.threads) if (!best || thread.pending.size < best.pending.size) best = thread;
    return best && best.pending.size < room ? best : undefined;
  }

  /** Gives the longest-waiting search to the thread, if it has room. */
  private dispatch(thread: Thread): void {
    if (thread.pending.size >= this.room()) return;
    const next = this.waiting.shift();
    if (next) this.send(thread, next.id, next.task, next.pending);
  }

  private send(thread: Thread, id: number, task: SearchTask, pending: Pending): void {
    thread.pending.set(id, pending);
    thread.worker.postMessage({ id, task });
  }

  private startThread(): Thread {
    const worker = new Worker(this.threadFile, { workerData: { databasePath: this.options.databasePath, nice: SEARCH_THREAD_NICE } });
    const thread: Thread = { worker, pending: new Map() };
    type Reply = { id: number; findings?: SearchFindings; error?: string; ms: number };
    worker.on('message', ({ id, findings, error, ms }: Reply) => {
      const pending = thread.pending.get(id);
      thread.pending.delete(id);
      this.serviceMs += SERVICE_TIME_WEIGHT * (ms - this.serviceMs);
      if (error !== undefined) pending?.reject(new Error(error));
      else pending?.resolve(findings!);
      this.dispatch(thread);
    });
    worker.on('error', (error) => this.options.logger.error({ err: error }, 'search thread failed'));
    worker.on('exit', (code) => {
      // A thread that died takes its searches with it: they fail (a 500). It leaves the pool at
      // once (searches go to the others, or inline when none is left) and is started again after
      // a pause; one that keeps dying (a database it cannot open) is not started again at all.
      for (const pending of thread.pending.values()) pending.reject(new Error(`search thread exited with code ${code}`));
      const index = this.threads.indexOf(thread);
      if (this.closing || index === -1) return;
      this.threads.splice(index, 1);
      const now = Date.now();
      this.deaths = [...this.deaths.filter((at) => now - at < 60_000), now];
      if (this.deaths.length > MAX_DEATHS_PER_MINUTE) {
        this.options.logger.error({ deaths: this.deaths.length }, 'search threads keep dying; searching on the main thread');
      } else {
        this.options.logger.warn({ code }, 'search thread exited; starting another');
        setTimeout(() => {
          if (this.closing) return;
          const replacement = this.startThread();
          this.threads.push(replacement);
          for (let i = 0; i < PER_THREAD; i += 1) this.dispatch(replacement);
        }, RESTART_DELAY_MS).unref();
      }
      // Searches waiting for a thread: to one still running, or inline when none is.
      if (!this.threaded) {
        for (const { task, pending } of this.waiting.splice(0)) {
          try {
            pending.resolve(findResults(this.options.inline, task));
          } catch (error) {
            pending.reject(error as Error);
          }
        }
      }
    });
    // A thread never keeps the process alive on its own.
    worker.unref();
    return thread;
  }
}
