/**
 * Advertising audiences (docs/campaigns.md, "Advertising audiences and UTM links"): a segment's
 * members who consented to marketing on the `ads` channel, as the customer list ad platforms accept:
 * normalised e-mail and phone, each SHA-256 hex, never the plain value.
 *
 * Normalisation, per the platforms' published rules:
 * - Google Customer Match (columns `Email`, `Phone`): e-mail trimmed and lower-cased, and for
 *   gmail.com / googlemail.com addresses the dots before the `@` removed; phone in E.164 (`+15035550100`).
 * - Meta custom audiences (columns `email`, `phone`): e-mail trimmed and lower-cased; phone as digits
 *   only with the country code, no `+` or leading zeros (`15035550100`).
 * A member with neither an e-mail nor a valid phone is left out.
 */
import { createHash } from 'node:crypto';
import { csvLine } from '../../modules/catalog/index.ts';
import { canContactMany } from '../../modules/consent/index.ts';
import { normalizeEmail, normalizePhone } from '../../modules/customers/index.ts';
import type { Db } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { bumpStats } from './stats.ts';
import { recordTouches } from './touches.ts';

export const AD_FORMATS = ['google', 'meta'] as const;
export type AdFormat = (typeof AD_FORMATS)[number];

/** The CSV header of each format. */
export const AD_COLUMNS: Record<AdFormat, readonly [string, string]> = {
  google: ['Email', 'Phone'],
  meta: ['email', 'phone'],
};

const GMAIL = new Set(['gmail.com', 'googlemail.com']);

export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** The e-mail as the platform wants it before hashing (null when it is not an address). */
export const normaliseAdEmail = (format: AdFormat, raw: string | null): string | null => {
  if (!raw) return null;
  const email = normalizeEmail(raw);
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return null;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (format === 'google' && GMAIL.has(domain)) return `${local.replace(/\./g, '')}@${domain}`;
  return email;
};

/** The phone as the platform wants it before hashing: E.164 (Google) or its digits (Meta). */
export const normaliseAdPhone = (
  format: AdFormat,
  raw: string | null,
  defaultCountry: string,
): string | null => {
  if (!raw) return null;
  const e164 = normalizePhone(raw, defaultCountry);
  if (!e164) return null;
  return format === 'google' ? e164 : e164.slice(1);
};

interface MemberRow {
  customer_id: string;
  email: string | null;
  phone: string | null;
}

const PAGE = 1000;

const membersPage = async (db: Db, segmentId: string, after: string | null): Promise<MemberRow[]> =>
  (
    await db.query<MemberRow>(
      `SELECT m.customer_id, c.email, c.phone FROM segment_members m JOIN customers c ON c.id = m.customer_id
       WHERE m.segment_id = $1 AND ($2::text IS NULL OR m.customer_id > $2) AND c.status = 'active'
       ORDER BY m.customer_id LIMIT $3`,
      [segmentId, after, PAGE],
    )
  ).rows;

/**
 * With a campaign: only the members with a planned (or already exported) `ads` send of that
 * campaign are in the audience (the holdout, the capped and the refused stay out); planned ones
 * become sent, each a `Message Sent` touch (medium ads) and a `sent` rollup.
 */
const markExported = async (
  db: Db,
  deps: Deps,
  campaignId: string,
  ids: readonly string[],
): Promise<Set<string>> =>
  db.tx(async (tx) => {
    const now = deps.clock.now();
    const sent = await tx.query<{ id: string; customer_id: string; variant: string | null }>(
      `UPDATE message_sends SET status = 'sent', sent_at = $3, updated_at = $3
       WHERE campaign_id = $1 AND medium = 'ads' AND status = 'planned' AND customer_id = ANY($2::text[])
       RETURNING id, customer_id, variant`,
      [campaignId, ids, now],
    );
    const exported = await tx.query<{ customer_id: string }>(
      `SELECT customer_id FROM message_sends
       WHERE campaign_id = $1 AND medium = 'ads' AND status = 'sent' AND customer_id = ANY($2::text[])`,
      [campaignId, ids],
    );
    await recordTouches(
      tx,
      deps,
      sent.rows.map((s) => ({
        kind: 'sent' as const,
        medium: 'ads' as const,
        at: now,
        messageId: `touch:${s.id}:sent`,
        sendId: s.id,
        campaignId,
        customerId: s.customer_id,
        variant: s.variant,
      })),
    );
    await bumpStats(
      tx,
      sent.rows.map((s) => ({ campaignId, variant: s.variant, medium: 'ads', metric: 'sent' })),
    );
    return new Set(exported.rows.map((r) => r.customer_id));
  });

/**
 * The audience as CSV lines, a page of members at a time (memory stays flat whatever the size):
 * members with a current `granted` for marketing on channel `ads`, not erased, not restricted.
 */
export async function* adAudienceCsv(
  db: Db,
  deps: Deps,
  a: { segmentId: string; format: AdFormat; campaignId?: string },
): AsyncGenerator<string> {
  yield csvLine([...AD_COLUMNS[a.format]]);
  let after: string | null = null;
  for (;;) {
    const rows = await membersPage(db, a.segmentId, after);
    if (rows.length === 0) return;
    after = rows.at(-1)?.customer_id ?? null;
    const allowed = await canContactMany(
      db,
      rows.map((r) => r.customer_id),
      { kind: 'marketing', purpose: 'marketing', channel: 'ads' },
    );
    const out = rows.flatMap((r) => {
      if (!allowed.get(r.customer_id)?.allowed) return [];
      const email = normaliseAdEmail(a.format, r.email);
      const phone = normaliseAdPhone(a.format, r.phone, deps.config.defaultCountry);
      return email || phone ? [{ id: r.customer_id, email, phone }] : [];
    });
    const keep = a.campaignId
      ? await markExported(
          db,
          deps,
          a.campaignId,
          out.map((r) => r.id),
        )
      : undefined;
    const lines = out
      .filter((r) => !keep || keep.has(r.id))
      .map((r) => csvLine([r.email ? sha256Hex(r.email) : '', r.phone ? sha256Hex(r.phone) : '']));
    if (lines.length > 0) yield lines.join('');
  }
}
