/**
 * One Segment message → one event row (docs/events.md): validation per the Segment spec, the
 * messageId (generated when missing), the clock-skew correction of `timestamp`, and the context kept
 * (IP truncated per PLAZA_EVENTS_IP). A message that breaks the spec is a refusal with a reason,
 * never an exception: in a batch it is refused alone.
 */
import { randomUUID } from 'node:crypto';
import { findBadText } from '../../../platform/http/input.ts';
import type { WriteKeySource } from '../sources.ts';
import { EVENT_TYPES, type EventInput, type EventType } from '../store.ts';
import { MESSAGE_LIMIT } from './body.ts';
import { type IpMode, keptIp } from './ip.ts';

/** Longest userId, anonymousId, groupId, previousId, messageId and event or page name kept. */
export const ID_MAX = 255;
/** A corrected timestamp further ahead of receivedAt than this is clamped (flags future, clamped). */
export const FUTURE_LIMIT_MS = 24 * 3600_000;
/** A corrected timestamp before this is clamped (flags past, clamped): broken device clocks. */
export const PAST_LIMIT = Date.UTC(2000, 0, 1);
/** Dates outside this range are not dates a device could mean; they count as missing. */
const DATE_MIN = Date.UTC(1970, 0, 1);
const DATE_MAX = Date.UTC(9999, 11, 31);

export interface Refusal {
  /** Index of the message in its batch (0 for a single call). */
  index: number;
  code: 'INVALID_MESSAGE' | 'MESSAGE_TOO_LARGE';
  /** Machine-readable reason, e.g. `no_user_anon_id`, `missing_event`, `invalid_type`. */
  reason: string;
  message: string;
  messageId: string | null;
  type: string | null;
  userId: string | null;
  anonymousId: string | null;
  excerpt: string;
}

export interface Ingest {
  source: WriteKeySource;
  receivedAt: Date;
  /** The client's address as the server sees it. */
  requestIp: string;
  ipMode: IpMode;
  /** Batch-level `sentAt` and `context` (merged under each message's own). */
  sentAt?: unknown;
  context?: unknown;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const EXCERPT_MAX = 1000;

/** The start of a message as text for the debugger (never throws, never ends in half a character). */
export const excerptOf = (raw: unknown): string => {
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? String(raw));
  } catch {
    return '(too deeply nested to show)';
  }
  let out = text.length > EXCERPT_MAX ? `${text.slice(0, EXCERPT_MAX)}…` : text;
  out = out.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return out.replaceAll('\u0000', '\uFFFD');
};

class Refused extends Error {
  constructor(
    readonly code: Refusal['code'],
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const refuse = (reason: string, message: string): never => {
  throw new Refused('INVALID_MESSAGE', reason, message);
};

/** A string or number id (trimmed), undefined when absent or empty. */
const idOf = (m: Json, field: string): string | undefined => {
  const v = m[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return refuse(`invalid_${snake(field)}`, `${field} must be a string`);
  const s = v.trim();
  if (s.length > ID_MAX)
    return refuse(`invalid_${snake(field)}`, `${field} is longer than ${ID_MAX} characters`);
  return s === '' ? undefined : s;
};

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const objectOf = (m: Json, field: string): Json | undefined => {
  const v = m[field];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) return refuse(`invalid_${field}`, `${field} must be an object`);
  return v;
};

const nameOf = (m: Json, field: string): string | undefined => {
  const v = m[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return refuse(`invalid_${field}`, `${field} must be a string`);
  if (v.length > ID_MAX) return refuse(`invalid_${field}`, `${field} is longer than ${ID_MAX} characters`);
  return v.trim() === '' ? undefined : v;
};

/** A usable date, or undefined (absent, unreadable or out of range: flagged by the caller). */
const dateOf = (v: unknown): Date | undefined | 'invalid' => {
  if (v === undefined || v === null) return undefined;
  const ms = typeof v === 'string' ? Date.parse(v) : typeof v === 'number' ? v : Number.NaN;
  return Number.isFinite(ms) && ms >= DATE_MIN && ms <= DATE_MAX ? new Date(ms) : 'invalid';
};

/**
 * Segment's skew correction: timestamp = receivedAt − (sentAt − originalTimestamp). Without sentAt
 * the client's timestamp is taken as it is (flag no_sent_at); without either, receivedAt. Far future
 * (> 24 h after receivedAt) or before 2000 is kept, flagged and clamped to receivedAt.
 */
export const correctTimestamp = (
  original: Date | undefined,
  sentAt: Date | undefined,
  receivedAt: Date,
  flags: string[],
): Date => {
  const rec = receivedAt.getTime();
  let ts = rec;
  if (original && sentAt) ts = rec - (sentAt.getTime() - original.getTime());
  else if (original) {
    ts = original.getTime();
    flags.push('no_sent_at');
  }
  if (ts > rec + FUTURE_LIMIT_MS) {
    flags.push('future', 'clamped');
    ts = rec;
  } else if (ts < PAST_LIMIT) {
    flags.push('past', 'clamped');
    ts = rec;
  }
  return new Date(ts);
};

const build = (m: Json, type: EventType, ing: Ingest): EventInput => {
  const userId = idOf(m, 'userId');
  const anonymousId = idOf(m, 'anonymousId');
  const flags: string[] = [];
  const messageId = idOf(m, 'messageId') ?? `plz-${randomUUID()}`;
  if (!userId && !anonymousId) refuse('no_user_anon_id', 'userId or anonymousId is required');
  let event: string | undefined;
  if (type === 'track') {
    event = nameOf(m, 'event');
    if (!event) refuse('missing_event', 'a track call needs an event name');
  } else if (type === 'page' || type === 'screen') event = nameOf(m, 'name');
  const groupId = idOf(m, 'groupId');
  if (type === 'group' && !groupId) refuse('missing_group_id', 'a group call needs a groupId');
  const previousId = idOf(m, 'previousId');
  if (type === 'alias' && (!previousId || !userId))
    refuse('missing_previous_id', 'an alias call needs a previousId and a userId');
  const properties = { ...(objectOf(m, 'properties') ?? {}) };
  if (type === 'page' && typeof m.category === 'string' && properties.category === undefined)
    properties.category = m.category;
  const traits = objectOf(m, 'traits') ?? {};
  const context: Json = { ...(isObject(ing.context) ? ing.context : {}), ...(objectOf(m, 'context') ?? {}) };
  const ip = keptIp(context.ip ?? ing.requestIp, ing.ipMode);
  if (ip) context.ip = ip;
  else delete context.ip;
  const orig = dateOf(m.timestamp ?? m.originalTimestamp);
  const sent = dateOf(m.sentAt ?? ing.sentAt);
  if (orig === 'invalid' || sent === 'invalid') flags.push('invalid_timestamp');
  const original = orig === 'invalid' ? undefined : orig;
  const sentAt = sent === 'invalid' ? undefined : sent;
  const timestamp = correctTimestamp(original, sentAt, ing.receivedAt, flags);
  return {
    sourceId: ing.source.sourceId,
    channelId: ing.source.channelId,
    origin: 'client',
    messageId,
    type,
    event: event ?? null,
    userId: userId ?? null,
    anonymousId: anonymousId ?? null,
    groupId: groupId ?? null,
    previousId: previousId ?? null,
    properties,
    traits,
    context,
    timestamp,
    originalTimestamp: original ?? null,
    sentAt: sentAt ?? null,
    receivedAt: ing.receivedAt,
    flags,
    retentionMonths: ing.source.retentionMonths,
  };
};

const loose = (m: unknown, field: string): string | null => {
  const v = isObject(m) ? m[field] : undefined;
  return typeof v === 'string' || typeof v === 'number' ? excerptOf(String(v)).slice(0, ID_MAX) : null;
};

/**
 * Validates and converts one message. `routeType` is the call's type (/v1/track …); in a batch it
 * is undefined and the message's own `type` decides. `size` is its JSON size when already known.
 */
export const toEvent = (
  raw: unknown,
  routeType: EventType | undefined,
  ing: Ingest,
  index: number,
  size?: number,
): { ok: true; row: EventInput } | { ok: false; refusal: Refusal } => {
  const refusal = (
    code: Refusal['code'],
    reason: string,
    message: string,
  ): { ok: false; refusal: Refusal } => ({
    ok: false,
    refusal: {
      index,
      code,
      reason,
      message,
      messageId: loose(raw, 'messageId'),
      type: loose(raw, 'type'),
      userId: loose(raw, 'userId'),
      anonymousId: loose(raw, 'anonymousId'),
      excerpt: excerptOf(raw),
    },
  });
  if (!isObject(raw)) return refusal('INVALID_MESSAGE', 'not_an_object', 'a message must be a JSON object');
  // Text PostgreSQL cannot store (NUL, lone surrogates) and nesting deeper than 32 levels.
  const bad = findBadText(raw, 'message');
  if (bad) return refusal('INVALID_MESSAGE', 'invalid_text', `${bad.path} ${bad.message}`);
  const bytes = size ?? Buffer.byteLength(JSON.stringify(raw));
  if (bytes > MESSAGE_LIMIT)
    return refusal(
      'MESSAGE_TOO_LARGE',
      'message_too_large',
      `the message is larger than 32 KB (${bytes} bytes)`,
    );
  const type = routeType ?? raw.type;
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type))
    return refusal('INVALID_MESSAGE', 'invalid_type', `type must be one of ${EVENT_TYPES.join(', ')}`);
  try {
    return { ok: true, row: build(raw, type as EventType, ing) };
  } catch (e) {
    if (e instanceof Refused) return refusal(e.code, e.reason, e.message);
    throw e;
  }
};
