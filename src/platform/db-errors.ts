/**
 * Errors of the connection to PostgreSQL, as opposed to errors of a statement: the server is down,
 * restarting or unreachable. They are expected (a database restart is routine) and answered with
 * 503 + Retry-After, never with 500.
 */

/** SQLSTATEs and socket error codes that mean "the database is not reachable right now". */
const UNAVAILABLE_CODES = new Set([
  // connection exceptions
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  // the server is shutting down (admin or crash) or cannot accept connections yet
  '57P01',
  '57P02',
  '57P03',
  '53300', // too many connections
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/** What node-postgres says when a connection ended, could not be made in time, or is already dead. */
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)/;

const codeOf = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;

const messageOf = (e: unknown): string =>
  e instanceof Error ? e.message : typeof e === 'string' ? e : 'unknown database error';

/** The database could not be reached, or the connection was lost while a statement ran. */
export class DatabaseUnavailableError extends Error {
  /** The SQLSTATE or socket error code of the cause, when there was one. */
  readonly code: string | undefined;

  constructor(cause: unknown) {
    const code = codeOf(cause);
    super(`The database is not available (${code ? `${code}: ` : ''}${messageOf(cause)})`);
    this.name = 'DatabaseUnavailableError';
    this.code = code;
  }
}

const isConnectionError = (e: unknown): boolean => {
  if (!(e instanceof Error)) return false;
  const code = codeOf(e);
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  if (UNAVAILABLE_MESSAGES.test(e.message)) return true;
  // Node reports a failed connect to several addresses as one AggregateError.
  return e instanceof AggregateError && e.errors.some(isConnectionError);
};

/** True when `e` means the database is unreachable (rather than that a statement failed). */
export const isDatabaseUnavailable = (e: unknown): boolean =>
  e instanceof DatabaseUnavailableError || isConnectionError(e);

/** Turns a connection error into a DatabaseUnavailableError; any other error is returned as it is. */
export const unavailableOr = (e: unknown): unknown =>
  e instanceof DatabaseUnavailableError || !isConnectionError(e) ? e : new DatabaseUnavailableError(e);

/**
 * What to log of a database error: its code, severity and message. node-postgres attaches the whole
 * client to errors of idle pooled connections (`err.client`, with the text of every statement it
 * prepared); that never reaches a log.
 */
export const loggableDbError = (e: unknown): Error => {
  const out = new Error(messageOf(e)) as Error & { code?: string; severity?: string };
  out.name = e instanceof Error ? e.name : 'Error';
  const code = codeOf(e);
  if (code) out.code = code;
  if (typeof e === 'object' && e !== null && 'severity' in e && typeof e.severity === 'string') {
    out.severity = e.severity;
  }
  out.stack = `${out.name}: ${out.message}`;
  return out;
};
