/**
 * Delivery-status callbacks of the providers, authenticated and read into one DeliveryStatus each:
 * Twilio's status callback (form, X-Twilio-Signature), the generic signed webhook (JSON, Standard
 * Webhooks signature) and the SMTP bounce/complaint feed (JSON, same signature).
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../../platform/crypto.ts';
import { PlazaError, validation } from '../../platform/errors.ts';
import { findBadText } from '../../platform/http/input.ts';
import { signStandard } from '../../platform/outbox/signing.ts';
import { sendIdOfMessageId } from './providers/mail-headers.ts';
import type { DeliveryStatus } from './types.ts';

/** How far a signed callback's timestamp may be from now (replay protection), as for our webhooks. */
export const TOLERANCE_SECONDS = 300;
const SEND_ID = /^msg_[0-9A-HJKMNP-TV-Z]{26}$/;

export const unauthorized = (detail: string) => new PlazaError('UNAUTHORIZED', detail);

/** Twilio's signature: base64 HMAC-SHA1 (auth token) of the URL followed by every parameter, sorted by name, as name+value. */
export const twilioSignature = (authToken: string, url: string, params: URLSearchParams): string => {
  const pairs = [...params.entries()].sort(([a, av], [b, bv]) =>
    a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0,
  );
  const data = url + pairs.map(([k, v]) => k + v).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
};

/**
 * Which of `secrets` signed the body with the Standard Webhooks headers (webhook-id,
 * webhook-timestamp, webhook-signature), or undefined: bad signature, stale timestamp or no header.
 */
export const standardSigner = <K extends string>(
  secrets: Partial<Record<K, string>>,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowSeconds: number,
): K | undefined => {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const sig = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof sig !== 'string') return undefined;
  if (id.length > 200 || sig.length > 2000 || !/^\d{1,12}$/.test(ts)) return undefined;
  const t = Number(ts);
  if (Math.abs(nowSeconds - t) > TOLERANCE_SECONDS) return undefined;
  const given = sig.split(' ').filter((s) => s.startsWith('v1,'));
  for (const [name, secret] of Object.entries(secrets) as [K, string | undefined][]) {
    if (!secret) continue;
    const expected = signStandard(secret, id, t, body);
    if (given.some((g) => safeEqual(g, expected))) return name;
  }
  return undefined;
};

/** Text PostgreSQL cannot store (NUL, lone surrogates) or absurd nesting is refused before it is kept. */
export const assertText = (value: unknown, path: string): void => {
  const bad = findBadText(value, path);
  if (bad) throw validation(`${bad.path} ${bad.message}`, [bad]);
};

const asObject = (text: string): Record<string, unknown> => {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new PlazaError('MALFORMED_JSON', 'The body is not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw validation('The body must be a JSON object', [{ path: 'body', message: 'must be an object' }]);
  assertText(v, 'body');
  return v as Record<string, unknown>;
};

const optString = (o: Record<string, unknown>, key: string, max = 200): string | undefined => {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > max)
    throw validation(`${key} must be a string of at most ${max} characters`, [
      { path: `body.${key}`, message: 'must be a short string' },
    ]);
  return v;
};

const optBool = (o: Record<string, unknown>, key: string): boolean | undefined => {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean')
    throw validation(`${key} must be true or false`, [{ path: `body.${key}`, message: 'must be a boolean' }]);
  return v;
};

const GENERIC_STATUSES = ['delivered', 'bounced', 'complained', 'failed', 'opened', 'clicked'] as const;

/** The generic webhook's callback: {id | provider_message_id, status, permanent?, detail?}. */
export const parseGeneric = (
  provider: string,
  text: string,
  at: Date,
): { status: DeliveryStatus; payload: unknown } => {
  const o = asObject(text);
  const id = optString(o, 'id');
  const pmid = optString(o, 'provider_message_id');
  const status = o.status;
  if (!id && !pmid)
    throw validation('id (the send id) or provider_message_id is required', [
      { path: 'body.id', message: 'is required' },
    ]);
  if (typeof status !== 'string' || !(GENERIC_STATUSES as readonly string[]).includes(status))
    throw validation(`status must be one of ${GENERIC_STATUSES.join(', ')}`, [
      { path: 'body.status', message: 'is not a known status' },
    ]);
  const permanent = optBool(o, 'permanent');
  const detail = optString(o, 'detail', 500);
  const s: DeliveryStatus = {
    provider,
    status: status as DeliveryStatus['status'],
    at,
    ...(id && SEND_ID.test(id) ? { sendId: id } : {}),
    ...(pmid ? { providerMessageId: pmid } : id && !SEND_ID.test(id) ? { providerMessageId: id } : {}),
    ...(permanent !== undefined ? { permanent } : status === 'bounced' ? { permanent: true } : {}),
    ...(detail ? { detail } : {}),
  };
  return { status: s, payload: o };
};

/** The SMTP feed's callback: {message_id | send_id, type: bounce | complaint, permanent?, detail?}. */
export const parseSmtpFeed = (text: string, at: Date): { status: DeliveryStatus; payload: unknown } => {
  const o = asObject(text);
  const messageId = optString(o, 'message_id', 300);
  const sendIdGiven = optString(o, 'send_id');
  const sendId = sendIdGiven ?? (messageId ? sendIdOfMessageId(messageId) : undefined);
  if (!sendId || !SEND_ID.test(sendId))
    throw validation('send_id, or a message_id of ours (<msg_…@plaza>), is required', [
      { path: 'body.message_id', message: 'is not the Message-ID of a Plaza send' },
    ]);
  const type = o.type;
  if (type !== 'bounce' && type !== 'complaint')
    throw validation('type must be bounce or complaint', [
      { path: 'body.type', message: 'must be bounce or complaint' },
    ]);
  const permanent = optBool(o, 'permanent') ?? type === 'complaint';
  const detail = optString(o, 'detail', 500);
  return {
    status: {
      provider: 'smtp',
      sendId,
      status: type === 'bounce' ? 'bounced' : 'complained',
      permanent,
      at,
      ...(detail ? { detail } : {}),
    },
    payload: o,
  };
};

/** Twilio error codes of an undelivered message that say the number cannot receive SMS at all. */
const TWILIO_DEAD_NUMBER = new Set(['21610', '21614', '30004', '30005', '30006']);

/**
 * Twilio's status callback: MessageSid and MessageStatus (and ErrorCode). delivered/read → delivered;
 * undelivered/failed → bounced (permanent) for a dead number, else failed; queued/sent/… → undefined
 * (kept in message_callbacks, nothing changes on the send).
 */
export const parseTwilio = (params: URLSearchParams, at: Date): DeliveryStatus | undefined => {
  assertText(Object.fromEntries(params), 'body');
  const sid = params.get('MessageSid') ?? params.get('SmsSid');
  const st = params.get('MessageStatus') ?? params.get('SmsStatus');
  if (!sid || sid.length > 64 || !st)
    throw validation('MessageSid and MessageStatus are required', [
      { path: 'body.MessageSid', message: 'is required' },
    ]);
  const code = params.get('ErrorCode') ?? undefined;
  const base = {
    provider: 'twilio',
    providerMessageId: sid,
    at,
    ...(code ? { detail: `Twilio error ${code}` } : {}),
  };
  if (st === 'delivered' || st === 'read') return { ...base, status: 'delivered' };
  if (st === 'undelivered' || st === 'failed') {
    return code && TWILIO_DEAD_NUMBER.has(code)
      ? { ...base, status: 'bounced', permanent: true }
      : { ...base, status: 'failed' };
  }
  return undefined;
};
