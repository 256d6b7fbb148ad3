import pino, { type Logger } from 'pino';
import type { Config } from './config';
import { stdoutLog } from './log-output';

/**
 * Structured JSON logs on stdout, one object per line, at the configured level. In development
 * at a terminal they are pretty-printed instead (pino-pretty, a dev dependency). Lines go through
 * `stdoutLog`, which never lets a stdout nobody reads hold up the process or its exit.
 */
export function createLogger(config: Pick<Config, 'logLevel' | 'env'>): Logger {
  const options: pino.LoggerOptions = {
    level: config.env === 'test' && config.logLevel === 'info' ? 'silent' : config.logLevel,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (config.env === 'development' && process.stdout.isTTY && canPrettyPrint()) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } });
  }
  return pino(options, stdoutLog);
}

function canPrettyPrint(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
