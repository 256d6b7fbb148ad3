import pino, { type Logger } from 'pino';
import type { Config } from './config';

/** Structured JSON logs on stdout, one object per line, at the configured level. */
export function createLogger(config: Pick<Config, 'logLevel' | 'env'>): Logger {
  return pino({
    level: config.env === 'test' && config.logLevel === 'info' ? 'silent' : config.logLevel,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
