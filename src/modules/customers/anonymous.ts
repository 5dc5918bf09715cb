/**
 * Anonymous (device) ids: the `x-plaza-anonymous-id` header a front-end sends before the shopper
 * logs in. A placeholder such as `null` or `guest` would tie strangers together (PostHog merged
 * people after `identify(null)`), so junk is refused outright with INVALID_ANONYMOUS_ID.
 */
import type { FastifyRequest } from 'fastify';
import { PlazaError } from '../../platform/errors.ts';
import { fail, ok, type Result } from '../../platform/result.ts';

export const ANONYMOUS_ID_HEADER = 'x-plaza-anonymous-id';

const PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Placeholders that SDKs send when they have no id (compared case-insensitively); template leftovers
 * such as `{{id}}` or `[object Object]` fail the character check anyway.
 */
const JUNK = new Set([
  'null',
  'undefined',
  'nil',
  'none',
  'nan',
  'false',
  'true',
  'anonymous',
  'anonymous_id',
  'anonymousid',
  'anon',
  'guest',
  'guest_user',
  'unknown',
  'user',
  'visitor',
  'default',
  'device',
  'device_id',
  'distinct_id',
  'test',
]);

const refuse = (detail: string) =>
  fail('INVALID_ANONYMOUS_ID', detail, { header: ANONYMOUS_ID_HEADER } as Record<string, unknown>);

/**
 * Checks a header value: absent is fine (null); present, it must be a real device id. Refused:
 * empty or blank, known placeholders, numbers such as `0` or `-1`, one character repeated (`0000…`,
 * the nil UUID), and anything not 8–128 characters of `A–Z a–z 0–9 . _ : -`.
 */
export const checkAnonymousId = (raw: unknown): Result<string | null, 'INVALID_ANONYMOUS_ID'> => {
  if (raw === undefined) return ok(null);
  if (typeof raw !== 'string') return refuse(`Send ${ANONYMOUS_ID_HEADER} once`);
  const v = raw.trim();
  if (v.length === 0) return refuse(`${ANONYMOUS_ID_HEADER} is empty; leave the header out instead`);
  if (JUNK.has(v.toLowerCase())) return refuse(`"${v.slice(0, 40)}" is a placeholder, not a device id`);
  if (/^-?\d{1,7}$/.test(v)) return refuse(`"${v}" is a placeholder, not a device id`);
  if (/^[0\-_.:]+$/.test(v) || /^(.)\1*$/.test(v)) {
    return refuse(`"${v.slice(0, 40)}" repeats one character; it is not a device id`);
  }
  if (!PATTERN.test(v)) {
    return refuse(`${ANONYMOUS_ID_HEADER} must be 8–128 characters of A–Z, a–z, 0–9, ".", "_", ":" or "-"`);
  }
  return ok(v);
};

/** The request's anonymous id (null without the header); throws INVALID_ANONYMOUS_ID on junk. */
export const anonymousIdOf = (req: FastifyRequest): string | null => {
  const r = checkAnonymousId(req.headers[ANONYMOUS_ID_HEADER]);
  if (!r.ok) throw new PlazaError(r.code, r.detail, r.details);
  return r.value;
};

/** onRequest hook for /store: junk anonymous ids are refused on every route, before any work. */
export const anonymousIdHook = async (req: FastifyRequest): Promise<void> => {
  anonymousIdOf(req);
};
