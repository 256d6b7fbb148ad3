import cluster from 'node:cluster';
import http from 'node:http';
import type { Logger } from 'pino';
import { createApp } from './app';
import type { Config } from './config';
import { openDatabase } from './db/open-database';
import { cannotListenMessage, EXIT_CANNOT_LISTEN } from './http/port-check';
import { MailSender } from './mail/mail-sender';
import { exitAfterLogs } from './log-output';

export const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Serves the site from this process until SIGTERM/SIGINT: then it stops accepting connections,
 * lets requests in flight finish (up to a deadline), stops the mail sender, closes the database
 * and exits 0. `beforeClose` runs just before the database is closed (the primary's own work,
 * when this process is the whole site).
 */
export function runHttpWorker(config: Config, logger: Logger, beforeClose?: () => Promise<void>): void {
  const db = openDatabase(config.databasePath, { replicated: config.replicaUrl !== undefined });
  const mailSender = new MailSender({ db, logger, smtpUrl: config.smtpUrl, from: config.mailFrom });
  mailSender.start();
  const app = createApp({ db, config, logger, mailSender });

  // Slow clients (one header byte every few seconds) are cut off with 408 instead of holding a
  // connection open; the check runs every second rather than Node's default 30.
  const server = http.createServer({ connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs) }, app);
  server.headersTimeout = config.headersTimeoutMs;
  server.requestTimeout = config.requestTimeoutMs;
  server.keepAliveTimeout = 5_000;
  server.listen(config.port, config.host, () => {
    logger.info({ url: `http://${config.host}:${config.port}`, siteUrl: config.siteUrl }, 'listening');
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    // A port in use is the operator's to fix: one line that says so, no stack.
    const message = cannotListenMessage(error, config.host, config.port);
    if (message) {
      logger.fatal({ host: config.host, port: config.port, code: error.code }, message);
      return exitAfterLogs(EXIT_CANNOT_LISTEN);
    }
    logger.fatal({ err: error }, 'could not listen');
    exitAfterLogs(1);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      // A second signal to the process that is the whole site (a second Ctrl-C, a supervisor
      // that asks again) means now. Workers ignore it: a terminal's Ctrl-C reaches them twice.
      if (cluster.isPrimary && signal !== 'disconnect') {
        logger.warn({ signal }, 'second signal: exiting now');
        exitAfterLogs(1);
      }
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.warn('requests still open at the shutdown deadline; closing them');
      server.closeAllConnections();
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    server.close(() => {
      void Promise.allSettled([mailSender.stop(), beforeClose?.()]).finally(() => {
        // Leave everything in the database file itself, not in a WAL that the next start would
        // have to replay (unless Litestream replicates: it checkpoints once it has copied the WAL).
        if (config.replicaUrl === undefined) {
          try {
            db.pragma('wal_checkpoint(TRUNCATE)');
          } catch (error) {
            logger.warn({ err: error }, 'could not checkpoint the WAL at shutdown');
          }
        }
        db.close();
        logger.info('stopped');
        exitAfterLogs(0);
      });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // A worker whose primary is gone (even killed with SIGKILL) must not linger holding the port.
  process.on('disconnect', () => shutdown('disconnect'));
}
