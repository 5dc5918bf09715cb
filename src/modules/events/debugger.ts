/**
 * The console's live event debugger: the newest events and refusals of one source since a cursor. The
 * console polls it about every second, so both queries are bounded index range scans: events through
 * `events_source_received` (source, received_at) from a little before the last one seen, refusals
 * through `event_refusals_source` (capped per source by the retention job).
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Queryable } from '../../platform/db.ts';
import { decodeCursor, encodeCursor, Nullable, Obj, Str, Timestamp } from '../../platform/http/schemas.ts';

/** Events received at most this long before the newest one seen still show up after it (ids come from a sequence, commits may come out of order). */
const SLACK_MS = 60_000;
/** How much of a message's properties the debugger shows. */
export const EXCERPT_CHARS = 500;

export const DebuggerQuery = Obj({
  after: Type.Optional(
    Str({ max: 200, description: 'The `cursor` of the previous answer: only what came since' }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});

const DebuggerEvent = Type.Object({
  id: Type.String(),
  type: Type.String(),
  event: Nullable(Type.String({ description: "The track event's name, or the page's or screen's" })),
  message_id: Type.String(),
  user_id: Nullable(Type.String()),
  anonymous_id: Nullable(Type.String()),
  customer_id: Nullable(Type.String()),
  channel_id: Nullable(Type.String()),
  received_at: Timestamp,
  timestamp: Timestamp,
  flags: Type.Array(Type.String()),
  properties_excerpt: Type.String({
    description: `The properties (or traits) as JSON, at most ${EXCERPT_CHARS} characters`,
  }),
});

const DebuggerRefusal = Type.Object({
  id: Type.String(),
  received_at: Timestamp,
  code: Type.String(),
  reason: Type.String(),
  message_type: Nullable(Type.String()),
  message_id: Nullable(Type.String()),
  user_id: Nullable(Type.String()),
  anonymous_id: Nullable(Type.String()),
  excerpt: Nullable(Type.String()),
});

export const DebuggerPage = Type.Object(
  {
    events: Type.Array(DebuggerEvent, { description: 'Newest first' }),
    refusals: Type.Array(DebuggerRefusal, { description: 'Newest first' }),
    cursor: Type.String({ description: 'Pass as `after` in the next poll' }),
    truncated: Type.Boolean({
      description: 'More came since the cursor than `limit`: only the newest are shown',
    }),
  },
  { $id: 'EventDebuggerPage' },
);
export type DebuggerPage = Static<typeof DebuggerPage>;

interface Cursor {
  eventId: string;
  receivedAt: number;
  refusalId: string;
}

const MAX_BIGINT = 2n ** 63n - 1n;
/** A non-negative id PostgreSQL's bigint holds (a forged cursor must not fail the query). */
const isBigint = (v: unknown): v is string =>
  typeof v === 'string' && /^\d{1,19}$/.test(v) && BigInt(v) <= MAX_BIGINT;

const parseCursor = (after: string | undefined): Cursor | undefined => {
  const v = decodeCursor(after);
  if (v?.length !== 3) return undefined;
  const [eventId, receivedAt, refusalId] = v;
  if (!isBigint(eventId) || !isBigint(refusalId)) return undefined;
  // a time a Date can hold, even after the slack is taken off
  if (typeof receivedAt !== 'number' || !Number.isSafeInteger(receivedAt) || Math.abs(receivedAt) > 8e15) {
    return undefined;
  }
  return { eventId, receivedAt, refusalId };
};

interface EventRow {
  id: string;
  type: string;
  event: string | null;
  message_id: string;
  user_id: string | null;
  anonymous_id: string | null;
  customer_id: string | null;
  channel_id: string | null;
  received_at: Date;
  timestamp: Date;
  flags: string[];
  excerpt: string;
}

interface RefusalRow {
  id: string;
  received_at: Date;
  code: string;
  reason: string;
  message_type: string | null;
  message_id: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  excerpt: string | null;
}

/** The newest events and refusals of a source since `after` (an unknown cursor counts as none). */
export const debuggerPage = async (
  q: Queryable,
  sourceId: string,
  opts: { after?: string; limit: number },
): Promise<DebuggerPage> => {
  const c = parseCursor(opts.after);
  const since = c ? new Date(c.receivedAt - SLACK_MS) : null;
  const [events, refusals] = await Promise.all([
    q.query<EventRow>(
      `SELECT id::text AS id, type, event, message_id, user_id, anonymous_id, customer_id, channel_id,
              received_at, "timestamp", flags,
              left(CASE WHEN type IN ('identify', 'group') THEN traits ELSE properties END::text, $5) AS excerpt
       FROM events
       WHERE source_id = $1 AND ($2::timestamptz IS NULL OR received_at >= $2) AND ($3::bigint IS NULL OR id > $3)
       ORDER BY received_at DESC, id DESC LIMIT $4`,
      [sourceId, since, c?.eventId ?? null, opts.limit + 1, EXCERPT_CHARS],
    ),
    q.query<RefusalRow>(
      `SELECT id::text AS id, received_at, code, reason, message_type, message_id, user_id, anonymous_id,
              left(excerpt, $4) AS excerpt
       FROM event_refusals WHERE source_id = $1 AND ($2::bigint IS NULL OR id > $2)
       ORDER BY received_at DESC, id DESC LIMIT $3`,
      [sourceId, c?.refusalId ?? null, opts.limit + 1, EXCERPT_CHARS],
    ),
  ]);
  const ev = events.rows.slice(0, opts.limit);
  const rf = refusals.rows.slice(0, opts.limit);
  const maxId = (rows: readonly { id: string }[], from: string) =>
    rows.reduce((m, r) => (BigInt(r.id) > BigInt(m) ? r.id : m), from);
  const newestAt = ev.reduce((m, r) => Math.max(m, r.received_at.getTime()), c?.receivedAt ?? 0);
  return {
    events: ev.map((r) => ({
      id: r.id,
      type: r.type,
      event: r.event,
      message_id: r.message_id,
      user_id: r.user_id,
      anonymous_id: r.anonymous_id,
      customer_id: r.customer_id,
      channel_id: r.channel_id,
      received_at: r.received_at.toISOString(),
      timestamp: r.timestamp.toISOString(),
      flags: r.flags,
      properties_excerpt: r.excerpt,
    })),
    refusals: rf.map((r) => ({ ...r, received_at: r.received_at.toISOString() })),
    cursor: encodeCursor([maxId(ev, c?.eventId ?? '0'), newestAt, maxId(rf, c?.refusalId ?? '0')]),
    truncated: events.rows.length > opts.limit || refusals.rows.length > opts.limit,
  };
};
