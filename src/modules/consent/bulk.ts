/**
 * canContact for many customers at once (campaign planning and sending, issue 12): the same rules as
 * service.ts, set-based. Transactional: any customer that exists and was not erased. Marketing: only
 * with a current `granted` for the purpose and channel, never while processing is restricted.
 */
import type { Queryable } from '../../platform/db.ts';
import { type ContactProfile, contactProfiles } from '../customers/index.ts';
import type { ConsentStatus, ContactChannel, Purpose } from './schema.ts';
import type { ContactQuestion, ContactReason } from './service.ts';

/** The current consent status per channel and customer, for several channels in one query. */
export const currentConsentStatusesByChannel = async (
  q: Queryable,
  customerIds: readonly string[],
  purpose: Purpose,
  channels: readonly ContactChannel[],
): Promise<Map<ContactChannel, Map<string, ConsentStatus>>> => {
  const out = new Map<ContactChannel, Map<string, ConsentStatus>>(channels.map((ch) => [ch, new Map()]));
  if (customerIds.length === 0 || channels.length === 0) return out;
  const r = await q.query<{ customer_id: string; channel: ContactChannel; status: ConsentStatus }>(
    `SELECT DISTINCT ON (customer_id, channel) customer_id, channel, status FROM consent_records
     WHERE customer_id = ANY($1::text[]) AND purpose = $2 AND channel = ANY($3::text[])
     ORDER BY customer_id, channel, recorded_at DESC, id DESC`,
    [customerIds, purpose, channels],
  );
  for (const x of r.rows) out.get(x.channel)?.set(x.customer_id, x.status);
  return out;
};

/** The current consent status (latest row) per customer for one purpose and channel. */
export const currentConsentStatuses = async (
  q: Queryable,
  customerIds: readonly string[],
  purpose: Purpose,
  channel: ContactChannel,
): Promise<Map<string, ConsentStatus>> =>
  (await currentConsentStatusesByChannel(q, customerIds, purpose, [channel])).get(channel) ?? new Map();

/**
 * canContact for each customer (merged profiles are answered as not contactable: their survivor is
 * the recipient). `profiles` may be passed when the caller already read them.
 */
export const canContactMany = async (
  q: Queryable,
  customerIds: readonly string[],
  question: ContactQuestion,
  profiles?: Map<string, ContactProfile>,
  /** the current statuses for the question's purpose and channel, when the caller already read them */
  statuses?: Map<string, ConsentStatus>,
): Promise<Map<string, { allowed: boolean; reason: ContactReason }>> => {
  const ps = profiles ?? (await contactProfiles(q, customerIds));
  const marketing = question.kind === 'marketing';
  const asked = marketing
    ? customerIds.filter((id) => {
        const p = ps.get(id);
        return p?.status === 'active' && !p.restricted;
      })
    : [];
  const consents = statuses ?? (await currentConsentStatuses(q, asked, question.purpose, question.channel));
  const out = new Map<string, { allowed: boolean; reason: ContactReason }>();
  for (const id of customerIds) {
    const p = ps.get(id);
    if (!p || p.status === 'merged') out.set(id, { allowed: false, reason: 'unknown_customer' });
    else if (p.status === 'erased') out.set(id, { allowed: false, reason: 'erased' });
    else if (!marketing) out.set(id, { allowed: true, reason: 'transactional' });
    else if (p.restricted) out.set(id, { allowed: false, reason: 'processing_restricted' });
    else {
      const s = consents.get(id);
      if (s === 'granted') out.set(id, { allowed: true, reason: 'consent_granted' });
      else if (s === 'pending') out.set(id, { allowed: false, reason: 'awaiting_confirmation' });
      else out.set(id, { allowed: false, reason: s ?? 'no_consent' });
    }
  }
  return out;
};
