/**
 * Structured JSON logs (pino). Request logs carry the request id as `reqId`.
 *
 * Nothing personal or secret reaches a log line. Requests are written by ONE serializer,
 * `requestForLog` (the `req` serializer of every logger, also used by the access log line), which
 * redacts:
 * - the value of every query parameter that is not listed in `LOGGED_PARAMS` (tokens, channel keys,
 *   lookups by phone, e-mail, identity or card, search text, coordinates, cursors, unknown ones);
 * - path segments that are route parameters named like a secret (`/store/consents/confirm/:token`,
 *   `/store/unsubscribe/:token`);
 * - anything anywhere in the URL shaped like a Plaza secret (`plz_…_`, `pk_`, `whsec_`, unsubscribe
 *   tokens), an e-mail address, an E.164 phone number or a card-length number (also on unmatched
 *   routes, where no route says which segment is a token).
 * Errors are written by the `err` serializer: name, code, message and stack with the same shapes
 * scrubbed, and a few identifiers (constraint, table, column), never the whole object (a database
 * error's `detail` repeats the values of the row, a PlazaError's details may hold an e-mail).
 * The client IP and headers are not logged.
 */
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

export const REDACTED = '[redacted]';

/**
 * Query parameters whose values are logged as sent: ids, paging sizes and filters that name no
 * person and hold no secret. Every other value is redacted, so a new lookup parameter is safe by
 * default; add a name here only if its values can never identify a person.
 */
const LOGGED_PARAMS = new Set([
  'active',
  'aggregate_id',
  'category_id',
  'channel',
  'channel_id',
  'collection_id',
  'customer_id',
  'from',
  'in_stock_at',
  'include_revoked',
  'kind',
  'limit',
  'location_id',
  'low_stock',
  'max_price',
  'min_price',
  'order_id',
  'overdue',
  'parent_id',
  'pickup',
  'purpose',
  'reference_id',
  'reference_type',
  'sells_in_store',
  'ship_from_store',
  'sku',
  'sort',
  'status',
  'to',
  'type',
]);

/** Route parameters whose values are secrets (a token in a link). */
const SECRET_ROUTE_PARAM = /token|secret|password/i;

/** Substrings that are secrets or personal data by their shape, wherever they appear. */
const SENSITIVE_SHAPES = [
  /\b(?:plz_[a-z]+_|pk_|whsec_)[A-Za-z0-9_-]+/g, // Plaza tokens, channel keys, signing secrets
  /\bu1\.[A-Za-z0-9_-]+\.[0-9a-f]+/g, // one-click unsubscribe tokens
  /[^\s/?&=@"'<>:;,()]+@[^\s/?&=@"'<>:;,()]+\.[A-Za-z]{2,}/g, // e-mail addresses
  /\+\d[\d ]{6,17}\d/g, // E.164 phone numbers
  /\b\d{12,19}\b/g, // card numbers
];

/** Replaces every secret- or personal-looking substring of `text`. */
export const scrub = (text: string): string =>
  SENSITIVE_SHAPES.reduce((t, shape) => t.replace(shape, REDACTED), text);

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s.replaceAll('+', ' '));
  } catch {
    return s;
  }
};

/**
 * True when `s` holds one of the shapes. Cheap characters are looked for first: this runs on every
 * path segment and parameter of every request, and most have no `_`, `.`, `@`, `+` or long number.
 */
const hasShape = (s: string): boolean => {
  const [tokens, unsubscribe, email, phone, card] = SENSITIVE_SHAPES as [
    RegExp,
    RegExp,
    RegExp,
    RegExp,
    RegExp,
  ];
  const test = (r: RegExp) => {
    r.lastIndex = 0;
    return r.test(s);
  };
  return (
    (s.includes('_') && test(tokens)) ||
    (s.includes('u1.') && test(unsubscribe)) ||
    (s.includes('@') && test(email)) ||
    (s.includes('+') && test(phone)) ||
    (/\d{12}/.test(s) && test(card))
  );
};

const sensitive = (raw: string): boolean => hasShape(raw) || (/[%+]/.test(raw) && hasShape(decode(raw)));

const SAFE_PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_.[\]-]{0,63}$/;

const redactQuery = (query: string): string =>
  query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? undefined : pair.slice(eq + 1);
      const safeName = SAFE_PARAM_NAME.test(decode(name)) ? name : REDACTED;
      if (value === undefined) return safeName;
      const logged = LOGGED_PARAMS.has(decode(name)) && !sensitive(value);
      return `${safeName}=${logged || value === '' ? value : REDACTED}`;
    })
    .join('&');

const redactPath = (path: string, route: string | undefined): string => {
  const routeSegments = route?.split('/');
  return path
    .split('/')
    .map((segment, i) => {
      const r = routeSegments?.[i];
      if (r?.startsWith(':') && SECRET_ROUTE_PARAM.test(r.slice(1))) return REDACTED;
      return sensitive(segment) ? REDACTED : segment;
    })
    .join('/');
};

/**
 * The URL of a request as it may be logged. `route` is the matched route's pattern
 * (`/store/consents/confirm/:token`): its secret parameters are redacted by position.
 */
export const redactUrl = (url: string, route?: string): string => {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const routed = route && route.split('/').length === path.split('/').length ? route : undefined;
  const redacted = redactPath(path, routed);
  return q < 0 ? redacted : `${redacted}?${redactQuery(url.slice(q + 1))}`;
};

interface RequestLike {
  method?: string;
  url?: string;
  routeOptions?: { url?: string };
}

/** THE request serializer: method and redacted URL (no IP, no headers, no body). */
export const requestForLog = (req: RequestLike): { method: string | undefined; url: string | undefined } => ({
  method: req.method,
  url: req.url === undefined ? undefined : redactUrl(req.url, req.routeOptions?.url),
});

/** Identifiers of a database error that are safe and useful in a log (never its `detail`). */
const ERROR_IDENTIFIERS = ['constraint', 'table', 'column', 'severity'] as const;

/** The error serializer: what went wrong and where, without the values involved. */
export const errorForLog = (e: unknown, depth = 0): unknown => {
  if (!(e instanceof Error)) return typeof e === 'string' ? scrub(e) : e;
  const fields = e as Error & Record<string, unknown>;
  const out: Record<string, unknown> = { type: e.name, message: scrub(e.message) };
  if (typeof fields.code === 'string' || typeof fields.code === 'number') out.code = fields.code;
  if (typeof fields.statusCode === 'number') out.statusCode = fields.statusCode;
  for (const k of ERROR_IDENTIFIERS) if (typeof fields[k] === 'string') out[k] = fields[k];
  if (e.stack) out.stack = scrub(e.stack);
  if (depth < 3 && e.cause !== undefined) out.cause = errorForLog(e.cause, depth + 1);
  if (depth < 3 && e instanceof AggregateError) {
    out.errors = e.errors.slice(0, 5).map((x: unknown) => errorForLog(x, depth + 1));
  }
  return out;
};

export const LOG_SERIALIZERS = { req: requestForLog, err: errorForLog };

/** The process logger; `destination` defaults to stdout (tests pass a stream to read the log). */
export const createLogger = (level: string, name = 'plaza', destination?: DestinationStream): Logger =>
  pino(
    {
      name,
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: LOG_SERIALIZERS,
    },
    destination,
  );

/** A logger that discards everything (tests). */
export const silentLogger = (): Logger => pino({ level: 'silent', serializers: LOG_SERIALIZERS });
