/**
 * Refused messages are kept for the console's debugger (event_refusals: the code, the reason and the
 * start of the message), at most REFUSALS_PER_REQUEST per request so a flood of junk stays small.
 */
import type { Queryable } from '../../../platform/db.ts';
import type { WriteKeySource } from '../sources.ts';
import type { Refusal } from './message.ts';

export const REFUSALS_PER_REQUEST = 20;

const INSERT = `
INSERT INTO event_refusals (source_id, write_key_id, received_at, code, reason, message_type, message_id,
  user_id, anonymous_id, excerpt)
SELECT source_id, write_key_id, received_at, code, reason, message_type, message_id, user_id, anonymous_id, excerpt
FROM jsonb_to_recordset($1::jsonb) AS t(source_id text, write_key_id text, received_at timestamptz, code text,
  reason text, message_type text, message_id text, user_id text, anonymous_id text, excerpt text)`;

/** Stores the first refusals of one request (nothing when there are none). */
export const recordRefusals = async (
  q: Queryable,
  source: WriteKeySource,
  receivedAt: Date,
  refusals: readonly Refusal[],
): Promise<void> => {
  if (refusals.length === 0) return;
  const rows = refusals.slice(0, REFUSALS_PER_REQUEST).map((r) => ({
    source_id: source.sourceId,
    write_key_id: source.keyId,
    received_at: receivedAt.toISOString(),
    code: r.code,
    reason: `${r.reason}: ${r.message}`.slice(0, 500),
    message_type: r.type,
    message_id: r.messageId,
    user_id: r.userId,
    anonymous_id: r.anonymousId,
    excerpt: r.excerpt,
  }));
  await q.query(INSERT, [JSON.stringify(rows)]);
};
