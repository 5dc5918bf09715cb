/**
 * Identities: every way a customer is recognised (emails, E.164 phones, loyalty cards, external ids,
 * anonymous device ids). A (kind, value) is linked to at most one customer at a time; linking never
 * takes an identity away from another customer (two identified profiles are merged only by an admin).
 */

import validator from 'validator';
import { pgCode, type Queryable, type Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { checkAnonymousId } from './anonymous.ts';
import { normalizePhone } from './phone.ts';
import { normalizeEmail, updateCustomer } from './repo.ts';
import { isSuppressed } from './suppression.ts';

export const IDENTITY_KINDS = ['email', 'phone', 'loyalty_card', 'external', 'anonymous'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export interface IdentityRow {
  id: string;
  customer_id: string;
  kind: IdentityKind;
  value: string;
  verified: boolean;
  is_primary: boolean;
  source: string;
  source_channel_id: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
  unlinked_at: Date | null;
  created_at: Date;
}

const COLS = `id, customer_id, kind, value, verified, is_primary, source, source_channel_id, first_seen_at,
  last_seen_at, unlinked_at, created_at`;

/** Loyalty card numbers are compared without spaces or dashes, in capitals. */
export const normalizeCardNumber = (v: string): string => v.toUpperCase().replace(/[\s-]/g, '');

/** The stored form of an identity value, or null when it is not a valid value of its kind. */
export const normalizeIdentity = (kind: IdentityKind, raw: string, defaultCountry: string): string | null => {
  const v = raw.trim();
  switch (kind) {
    case 'email': {
      const e = normalizeEmail(v);
      // validator's isEmail: RFC 5321 lengths, no empty labels (a@example..com), a real TLD.
      return validator.isEmail(e) ? e : null;
    }
    case 'phone':
      return normalizePhone(v, defaultCountry);
    case 'loyalty_card': {
      const c = normalizeCardNumber(v);
      return /^[0-9A-Z]{6,32}$/.test(c) ? c : null;
    }
    case 'external':
      return /^[\x21-\x7e]{1,200}$/.test(v) ? v : null;
    case 'anonymous': {
      const r = checkAnonymousId(v);
      return r.ok ? r.value : null;
    }
  }
};

export const identitiesOf = async (
  q: Queryable,
  customerIds: readonly string[],
  opts: { includeUnlinked?: boolean; kind?: IdentityKind } = {},
): Promise<IdentityRow[]> =>
  (
    await q.query<IdentityRow>(
      `SELECT ${COLS} FROM customer_identities WHERE customer_id = ANY($1)
         AND ($2 OR unlinked_at IS NULL) AND ($3::text IS NULL OR kind = $3)
       ORDER BY customer_id, kind, is_primary DESC, created_at, id`,
      [customerIds, opts.includeUnlinked ?? false, opts.kind ?? null],
    )
  ).rows;

/** The live links of any of these (kind, value) pairs. */
export const findLiveIdentities = async (
  q: Queryable,
  pairs: readonly { kind: IdentityKind; value: string }[],
): Promise<IdentityRow[]> => {
  if (pairs.length === 0) return [];
  return (
    await q.query<IdentityRow>(
      `SELECT ${COLS} FROM customer_identities
       WHERE unlinked_at IS NULL AND (kind, value) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [pairs.map((p) => p.kind), pairs.map((p) => p.value)],
    )
  ).rows;
};

export const getIdentity = async (q: Queryable, id: string): Promise<IdentityRow | undefined> =>
  (await q.query<IdentityRow>(`SELECT ${COLS} FROM customer_identities WHERE id = $1`, [id])).rows[0];

export interface LinkInput {
  customerId: string;
  kind: IdentityKind;
  /** Already normalised (normalizeIdentity). */
  value: string;
  verified?: boolean;
  primary?: boolean;
  source: string;
  channelId?: string | null;
}

export type LinkOutcome =
  | { status: 'linked'; identity: IdentityRow }
  | { status: 'seen'; identity: IdentityRow }
  | { status: 'linked_to_other'; identity: IdentityRow };

/** Makes `identity` the customer's only primary of its kind and mirrors it on the customer row. */
const makePrimary = async (tx: Tx, deps: Pick<Deps, 'clock'>, identity: IdentityRow): Promise<void> => {
  if (identity.kind !== 'email' && identity.kind !== 'phone') return;
  await tx.query(
    `UPDATE customer_identities SET is_primary = false
     WHERE customer_id = $1 AND kind = $2 AND is_primary AND id <> $3`,
    [identity.customer_id, identity.kind, identity.id],
  );
  await tx.query('UPDATE customer_identities SET is_primary = true WHERE id = $1', [identity.id]);
  await updateCustomer(
    tx,
    identity.customer_id,
    identity.kind === 'email' ? { email: identity.value } : { phone: identity.value },
    deps.clock.now(),
  );
};

/**
 * Links an identity to a customer. Already theirs: its last-seen time moves (`seen`). Linked to
 * someone else: nothing moves (`linked_to_other`) — the caller decides whether that is an error.
 * Emails and phones of erased customers are refused with IDENTITY_SUPPRESSED.
 */
export const linkIdentity = async (
  tx: Tx,
  deps: Pick<Deps, 'clock' | 'config'>,
  input: LinkInput,
): Promise<Result<LinkOutcome, 'IDENTITY_SUPPRESSED' | 'CONFLICT'>> => {
  const now = deps.clock.now();
  if (
    (input.kind === 'email' || input.kind === 'phone') &&
    (await isSuppressed(tx, deps, input.kind, input.value))
  ) {
    return fail(
      'IDENTITY_SUPPRESSED',
      `This ${input.kind} belonged to an erased customer and cannot be used`,
      {
        kind: input.kind,
      },
    );
  }
  const inserted = (
    await tx.query<IdentityRow>(
      `INSERT INTO customer_identities (id, customer_id, kind, value, verified, is_primary, source,
         source_channel_id, first_seen_at, last_seen_at, created_at)
       VALUES ($1, $2, $3, $4, $5, false, $6, $7, $8, $8, $8)
       ON CONFLICT (kind, value) WHERE unlinked_at IS NULL DO NOTHING RETURNING ${COLS}`,
      [
        newId('idn'),
        input.customerId,
        input.kind,
        input.value,
        input.verified ?? false,
        input.source,
        input.channelId ?? null,
        now,
      ],
    )
  ).rows[0];
  if (inserted) {
    if (input.primary) await makePrimary(tx, deps, inserted);
    await writeEvent(tx, deps.clock, {
      type: 'identity.linked',
      aggregateType: 'customer',
      aggregateId: input.customerId,
      data: {
        customer_id: input.customerId,
        identity_id: inserted.id,
        kind: input.kind,
        source: input.source,
        channel_id: input.channelId ?? null,
      },
    });
    return ok({ status: 'linked', identity: { ...inserted, is_primary: Boolean(input.primary) } });
  }
  const [existing] = await findLiveIdentities(tx, [{ kind: input.kind, value: input.value }]);
  if (!existing) return fail('CONFLICT', 'The identity changed concurrently; try again', { retryable: true });
  if (existing.customer_id !== input.customerId) return ok({ status: 'linked_to_other', identity: existing });
  const { rows } = await tx.query<IdentityRow>(
    `UPDATE customer_identities SET last_seen_at = greatest(last_seen_at, $2), verified = verified OR $3
     WHERE id = $1 RETURNING ${COLS}`,
    [existing.id, now, input.verified ?? false],
  );
  const seen = rows[0] as IdentityRow;
  if (input.primary && !seen.is_primary) await makePrimary(tx, deps, seen);
  return ok({ status: 'seen', identity: { ...seen, is_primary: seen.is_primary || Boolean(input.primary) } });
};

/** Changes the verified or primary flag of one of the customer's identities. */
export const setIdentityFlags = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  identity: IdentityRow,
  flags: { verified?: boolean; primary?: boolean },
): Promise<Result<IdentityRow, 'CONFLICT'>> => {
  if (flags.primary === false && identity.is_primary) {
    return fail('CONFLICT', 'Make another identity primary instead of clearing this one');
  }
  if (flags.primary && identity.kind !== 'email' && identity.kind !== 'phone') {
    return fail('CONFLICT', 'Only emails and phones have a primary');
  }
  if (flags.verified !== undefined) {
    await tx.query('UPDATE customer_identities SET verified = $2 WHERE id = $1', [
      identity.id,
      flags.verified,
    ]);
  }
  if (flags.primary && !identity.is_primary) {
    try {
      await tx.query('SAVEPOINT primary_email');
      await makePrimary(tx, deps, identity);
      await tx.query('RELEASE SAVEPOINT primary_email');
    } catch (e) {
      if (pgCode(e) !== '23505') throw e;
      await tx.query('ROLLBACK TO SAVEPOINT primary_email');
      return fail('CONFLICT', 'This email is still the login of a merged profile; undo that merge first');
    }
  }
  return ok((await getIdentity(tx, identity.id)) as IdentityRow);
};

/** Unlinks an identity (kept as history). A primary email cannot be unlinked while it is primary. */
export const unlinkIdentity = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  identity: IdentityRow,
  by: string,
): Promise<Result<IdentityRow, 'CONFLICT'>> => {
  if (identity.unlinked_at) return ok(identity);
  if (identity.is_primary && identity.kind === 'email') {
    return fail('CONFLICT', 'Make another email primary before removing this one');
  }
  const now = deps.clock.now();
  const { rows } = await tx.query<IdentityRow>(
    `UPDATE customer_identities SET unlinked_at = $2, is_primary = false WHERE id = $1 RETURNING ${COLS}`,
    [identity.id, now],
  );
  if (identity.is_primary && identity.kind === 'phone') {
    await updateCustomer(tx, identity.customer_id, { phone: null }, now);
  }
  await writeEvent(tx, deps.clock, {
    type: 'identity.unlinked',
    aggregateType: 'customer',
    aggregateId: identity.customer_id,
    data: { customer_id: identity.customer_id, identity_id: identity.id, kind: identity.kind, by },
  });
  return ok(rows[0] as IdentityRow);
};

export const identityToApi = (r: IdentityRow) => ({
  id: r.id,
  kind: r.kind,
  value: r.value,
  verified: r.verified,
  primary: r.is_primary,
  source: r.source,
  source_channel_id: r.source_channel_id,
  first_seen_at: r.first_seen_at.toISOString(),
  last_seen_at: r.last_seen_at.toISOString(),
  unlinked_at: r.unlinked_at?.toISOString() ?? null,
});
