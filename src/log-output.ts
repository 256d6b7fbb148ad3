import fs from 'node:fs';

// Where the server's log lines go: standard output, written off the event loop and never waited
// on. Why not pino's default destination: when stdout's reader stops reading (a stalled log
// shipper, a paused pager, `| sleep`), the pipe fills and its exit-time flush retries every 100 ms
// for ever, so a worker told to stop never exits and a primary stuck the same way ignores every
// further signal; when the reader is gone (EPIPE) the same flush loops too. Here a blocked pipe
// holds at most MAX_QUEUED_BYTES of lines and then drops new ones (and says how many once it
// drains), a broken pipe drops everything, and exiting waits at most EXIT_FLUSH_MS for the queue.
// Writes run on libuv's thread pool, so even a write that blocks never holds up the event loop.

const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
const RETRY_BLOCKED_MS = 100;
export const EXIT_FLUSH_MS = 1_000;

export class LogOutput {
  private queue: string[] = [];
  private queuedBytes = 0;
  private writing = false;
  private broken = false;
  private dropped = 0;
  private drained: Array<() => void> = [];
  private inFlight = false;

  constructor(private readonly fd: number) {}

  /** pino's destination interface: one serialised line at a time. */
  write(line: string): boolean {
    if (this.broken) return true;
    if (this.queuedBytes + line.length > MAX_QUEUED_BYTES) {
      this.dropped += 1;
      return true;
    }
    this.queue.push(line);
    this.queuedBytes += line.length;
    if (!this.writing) this.writeQueued();
    return true;
  }

  /** Resolves once every queued line is written, or after `timeoutMs`, whichever comes first. */
  flush(timeoutMs: number): Promise<void> {
    if (!this.writing || this.broken) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.drained.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** True while a write is with the operating system: on a blocking pipe that is full, it may never return. */
  get writeInFlight(): boolean {
    return this.inFlight;
  }

  private writeQueued(): void {
    if (this.dropped > 0) {
      const note = { level: 40, time: new Date().toISOString(), pid: process.pid, dropped: this.dropped };
      this.queue.unshift(`${JSON.stringify({ ...note, msg: 'log lines dropped: standard output was not being read' })}\n`);
      this.dropped = 0;
    }
    const chunk = Buffer.from(this.queue.join(''));
    this.queue = [];
    this.queuedBytes = 0;
    this.writing = true;
    this.writeChunk(chunk);
  }

  private writeChunk(chunk: Buffer): void {
    this.inFlight = true;
    fs.write(this.fd, chunk, 0, chunk.length, null, (error, written) => {
      this.inFlight = false;
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EBUSY') {
          // The reader is behind: try again shortly, without holding up the event loop.
          setTimeout(() => this.writeChunk(chunk), RETRY_BLOCKED_MS).unref();
          return;
        }
        // EPIPE and the like: nobody will ever read these lines.
        this.broken = true;
        this.queue = [];
        this.queuedBytes = 0;
        this.finishWriting();
        return;
      }
      if (written < chunk.length) return this.writeChunk(chunk.subarray(written));
      if (this.queue.length > 0 || this.dropped > 0) return this.writeQueued();
      this.finishWriting();
    });
  }

  private finishWriting(): void {
    this.writing = false;
    for (const callback of this.drained.splice(0)) callback();
  }
}

/** The one output for this process's standard output. */
export const stdoutLog = new LogOutput(1);

/**
 * Exits once the log lines queued so far are written, or after EXIT_FLUSH_MS if they cannot be.
 * A write still with the operating system then is stuck on a full blocking pipe (whether stdout
 * is blocking is shared with every process that holds it, so it cannot be relied on), and
 * process.exit would wait for that thread for ever: the process ends by SIGTERM's default action
 * instead, which is what a supervisor that sent SIGTERM expects anyway.
 */
export function exitAfterLogs(code: number): void {
  void stdoutLog.flush(EXIT_FLUSH_MS).then(() => {
    if (!stdoutLog.writeInFlight) process.exit(code);
    process.removeAllListeners('SIGTERM');
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 1_000);
  });
}
