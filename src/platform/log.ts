import { type Logger, pino } from 'pino';

export type { Logger };

/** Structured JSON logs (pino). Request logs carry the request id as `reqId`. */
export const createLogger = (level: string, name = 'plaza'): Logger =>
  pino({ name, level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });

/** A logger that discards everything (tests). */
export const silentLogger = (): Logger => pino({ level: 'silent' });
