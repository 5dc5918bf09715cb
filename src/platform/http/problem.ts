import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable, pgCode } from '../db.ts';
import { ERROR_CODES, type ErrorCode, PlazaError } from '../errors.ts';

export const PROBLEM_TYPE_BASE = 'urn:plaza:error:';

/** Builds the RFC 9457 problem document of an error. */
export const problemOf = (
  err: PlazaError,
  req: Pick<FastifyRequest, 'url' | 'id'>,
): Record<string, unknown> => ({
  ...err.details,
  type: `${PROBLEM_TYPE_BASE}${err.code.toLowerCase()}`,
  title: ERROR_CODES[err.code].title,
  status: err.status,
  code: err.code,
  detail: err.message,
  instance: req.url.split('?')[0],
  request_id: req.id,
});

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_BAD_URL: 'VALIDATION_FAILED',
  FST_ERR_MAX_PARAM_LENGTH: 'VALIDATION_FAILED',
};

/** PostgreSQL errors that mean "try again": concurrent update, deadlock, lock wait timeout. */
const PG_CONFLICTS = new Set(['40001', '40P01', '55P03']);
const UNIQUE_VIOLATION = '23505';

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

const pathOf = (v: ValidationIssue, context: string | undefined): string => {
  const base = context ?? 'body';
  const extra = v.params?.additionalProperty ?? v.params?.missingProperty;
  const path = `${base}${(v.instancePath ?? '').replaceAll('/', '.')}`;
  return typeof extra === 'string' ? `${path}.${extra}` : path;
};

const messageOf = (v: ValidationIssue): string => {
  if (typeof v.params?.additionalProperty === 'string') return 'is not an allowed property';
  if (typeof v.params?.missingProperty === 'string') return 'is required';
  return v.message ?? 'is not valid';
};

/** Maps anything thrown in a request to a PlazaError (unknown errors become INTERNAL). */
export const toPlazaError = (err: unknown): { error: PlazaError; unexpected: boolean } => {
  if (err instanceof PlazaError) return { error: err, unexpected: false };
  const fe = err as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
  if (fe?.validation) {
    const errors = fe.validation.map((v) => ({
      path: pathOf(v, fe.validationContext),
      message: messageOf(v),
    }));
    const first = errors[0];
    const detail = first ? `${first.path} ${first.message}` : 'The request is not valid';
    return { error: new PlazaError('VALIDATION_FAILED', detail, { errors }), unexpected: false };
  }
  const mapped = fe?.code ? FASTIFY_CODES[fe.code] : undefined;
  if (mapped) return { error: new PlazaError(mapped, fe.message), unexpected: false };
  if (err instanceof SyntaxError && fe.statusCode === 400) {
    return { error: new PlazaError('MALFORMED_JSON', err.message), unexpected: false };
  }
  // The database is away (restart, network): a clean 503 the client may retry, never a 500.
  if (isDatabaseUnavailable(err)) {
    return {
      error: new PlazaError('SERVICE_UNAVAILABLE', 'The database is not available; retry shortly', {
        retry_after_seconds: 1,
      }),
      unexpected: false,
    };
  }
  const code = pgCode(err);
  if (code && PG_CONFLICTS.has(code)) {
    return {
      error: new PlazaError('CONFLICT', 'The resource was changed concurrently; retry the request', {
        retryable: true,
      }),
      unexpected: false,
    };
  }
  // A unique constraint a concurrent request won (two registrations, two default addresses …): the
  // flows that should return the existing resource do so themselves; anything else is a conflict.
  if (code === UNIQUE_VIOLATION) {
    return {
      error: new PlazaError('CONFLICT', 'A concurrent request created the same resource; retry the request', {
        retryable: true,
      }),
      unexpected: false,
    };
  }
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const byStatus: Record<number, ErrorCode> = {
      401: 'UNAUTHORIZED',
      403: 'FORBIDDEN',
      404: 'NOT_FOUND',
      405: 'METHOD_NOT_ALLOWED',
      406: 'VALIDATION_FAILED',
      413: 'PAYLOAD_TOO_LARGE',
      415: 'UNSUPPORTED_MEDIA_TYPE',
      429: 'RATE_LIMITED',
    };
    return {
      error: new PlazaError(byStatus[fe.statusCode] ?? 'VALIDATION_FAILED', fe.message),
      unexpected: false,
    };
  }
  return {
    error: new PlazaError('INTERNAL', 'An unexpected error occurred; it has been logged'),
    unexpected: true,
  };
};

/** Fastify error handler: every error leaves as application/problem+json with a stable code. */
export const errorHandler = (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
  const { error, unexpected } = toPlazaError(err);
  // `req` and `err` go through the log serializers (log.ts): redacted URL, no values of the data
  if (unexpected) req.log.error({ err, req }, 'unexpected error');
  else if (error.status >= 500) req.log.warn({ err, req }, error.message);
  const retryAfter = error.details.retry_after_seconds;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply
    .code(error.status)
    .type('application/problem+json; charset=utf-8')
    .serializer(JSON.stringify)
    .send(problemOf(error, req));
};

/**
 * Errors Fastify raises before routing (a malformed URL such as `%ED%A0%80`). Under `/v1/`, the
 * Segment-compatible tracking API, they are answered in that API's JSON shape like its other errors
 * (docs/events.md); everywhere else as problem documents.
 */
export const frameworkErrorHandler = (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
  if (!req.url.startsWith('/v1/')) return errorHandler(err, req, reply);
  const { error } = toPlazaError(err);
  return reply
    .code(error.status)
    .type('application/json; charset=utf-8')
    .serializer(JSON.stringify)
    .send({ success: false, code: error.code, message: error.message });
};

export const notFoundHandler = (req: FastifyRequest, reply: FastifyReply) =>
  errorHandler(
    new PlazaError('ROUTE_NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`),
    req,
    reply,
  );
