/**
 * Identity resolution for tracked `identify` and `alias` messages (docs/customer-data.md):
 * `anonymousId` is a device identity (kind `anonymous`), `userId` an external id (kind `external`),
 * and a `userId` that is a live customer's id (`cus_…`, how Plaza's own shop identifies) is that
 * customer. Linking never takes an identity from another customer, so two identified people are
 * never merged here; a customer is created only for an unknown `userId`. Traits `email`/`phone` link
 * identities only from server sources, and a suppressed (erased) email or phone is neither linked nor
 * kept as a trait, and creates nobody.
 */

import { findLiveIdentities, type IdentityKind, linkIdentity } from '../../modules/customers/identities.ts';
import {
  checkProcessing,
  getCustomer,
  normalizeIdentity,
  survivorOf,
} from '../../modules/customers/index.ts';
import { insertCustomer } from '../../modules/customers/repo.ts';
import { isSuppressed } from '../../modules/customers/suppression.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { upsertTraits } from './traits.ts';

type IDeps = Pick<Deps, 'clock' | 'config'>;

export interface QueueRow {
  id: string;
  source_id: string;
  channel_id: string | null;
  type: 'identify' | 'alias';
  user_id: string | null;
  anonymous_id: string | null;
  previous_id: string | null;
  traits: Record<string, unknown>;
  timestamp: Date;
  received_at: Date;
  attempts: number;
}

export interface IdentityOutcome {
  customerId: string | null;
  created: boolean;
  /** Events now attributed to the customer (back-filled). */
  attributed: number;
}

const CUSTOMER_ID = /^cus_[0-9A-HJKMNP-TV-Z]{26}$/;
const SOURCE = 'events';

/** The live (not erased) survivor of a customer id, or null. */
const liveCustomer = async (q: Queryable, id: string): Promise<string | null> => {
  const c = await getCustomer(q, id);
  if (!c) return null;
  const s = await survivorOf(q, c);
  return s.status === 'active' ? s.id : null;
};

const byIdentity = async (q: Queryable, kind: IdentityKind, value: string): Promise<string | null> => {
  const [hit] = await findLiveIdentities(q, [{ kind, value }]);
  return hit ? liveCustomer(q, hit.customer_id) : null;
};

/** The customer a userId names: a live customer's own id, else the external identity's customer. */
const byUserId = async (q: Queryable, userId: string): Promise<string | null> =>
  CUSTOMER_ID.test(userId) ? liveCustomer(q, userId) : byIdentity(q, 'external', userId);

const externalValue = (v: string | null, country: string): string | null =>
  v && !CUSTOMER_ID.test(v) ? normalizeIdentity('external', v, country) : null;

interface Contact {
  email: string | null;
  phone: string | null;
  /** A suppressed value was in the traits (it is dropped and creates nobody). */
  suppressed: boolean;
  /** The trait keys that held a suppressed value. */
  suppressedKeys: string[];
  /** The traits without suppressed email/phone. */
  traits: Record<string, unknown>;
}

/** Reads `email` and `phone` traits, checks them against the suppression list. */
export const contactOf = async (
  q: Queryable,
  deps: IDeps,
  traits: Record<string, unknown>,
): Promise<Contact> => {
  const country = deps.config.defaultCountry;
  const out: Contact = {
    email: null,
    phone: null,
    suppressed: false,
    suppressedKeys: [],
    traits: { ...traits },
  };
  for (const kind of ['email', 'phone'] as const) {
    const raw = traits[kind];
    if (typeof raw !== 'string') continue;
    const v = normalizeIdentity(kind, raw, country);
    if (!v) continue;
    if (await isSuppressed(q, deps, kind, v)) {
      out.suppressed = true;
      out.suppressedKeys.push(kind);
      delete out.traits[kind];
    } else out[kind] = v;
  }
  return out;
};

const link = async (
  tx: Tx,
  deps: IDeps,
  customerId: string,
  kind: IdentityKind,
  value: string,
  channelId: string | null,
  primary = false,
): Promise<void> => {
  const r = await linkIdentity(tx, deps, { customerId, kind, value, source: SOURCE, channelId, primary });
  // IDENTITY_SUPPRESSED cannot happen (checked before); linked_to_other is the guard: nothing moves.
  if (!r.ok && r.code !== 'IDENTITY_SUPPRESSED') throw new Error(`${r.code}: ${r.detail}`);
};

/** A customer known only by tracked ids (no email or phone yet). */
const createTrackedCustomer = async (tx: Tx, deps: IDeps, channelId: string | null): Promise<string> => {
  const now = deps.clock.now();
  const row = await insertCustomer(tx, {
    id: newId('cus'),
    email: null,
    password_hash: null,
    first_name: null,
    last_name: null,
    phone: null,
    birthday: null,
    language: null,
    preferred_location_id: null,
    source: SOURCE,
    created_channel_id: channelId,
    created_at: now,
  });
  await writeEvent(tx, deps.clock, {
    type: 'customer.created',
    aggregateType: 'customer',
    aggregateId: row.id,
    data: { customer_id: row.id, source: SOURCE, channel_id: channelId },
  });
  return row.id;
};

const lockIds = async (tx: Tx, ids: (string | null)[]): Promise<void> => {
  for (const id of [...new Set(ids.filter((v): v is string => Boolean(v)))].sort()) {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`event_identity:${id}`]);
  }
};

/**
 * Attributes events of these ids to the customer where no one holds them yet, and returns the
 * traits of the identify messages among them (applied like any other late message).
 */
const backfill = async (
  tx: Tx,
  customerId: string,
  anonymousIds: string[],
  userIds: string[],
): Promise<{
  attributed: number;
  identifies: { traits: Record<string, unknown>; timestamp: Date; source_id: string }[];
}> => {
  let attributed = 0;
  const identifies: { traits: Record<string, unknown>; timestamp: Date; source_id: string }[] = [];
  for (const [col, ids] of [
    ['anonymous_id', anonymousIds],
    ['user_id', userIds],
  ] as const) {
    if (ids.length === 0) continue;
    const { rows } = await tx.query<{
      type: string;
      traits: Record<string, unknown>;
      timestamp: Date;
      source_id: string;
    }>(
      `UPDATE events SET customer_id = $1 WHERE customer_id IS NULL AND ${col} = ANY($2)
       RETURNING type, traits, "timestamp", source_id`,
      [customerId, ids],
    );
    attributed += rows.length;
    for (const r of rows) if (r.type === 'identify') identifies.push(r);
  }
  return { attributed, identifies };
};

/** The ids among these that now lead to the customer (a device held by someone else stays theirs). */
const idsOf = async (tx: Tx, customerId: string, anonymousIds: string[], externalIds: string[]) => {
  const pairs = [
    ...anonymousIds.map((value) => ({ kind: 'anonymous' as const, value })),
    ...externalIds.map((value) => ({ kind: 'external' as const, value })),
  ];
  const live = (await findLiveIdentities(tx, pairs)).filter((i) => i.customer_id === customerId);
  return {
    anonymous: live.filter((i) => i.kind === 'anonymous').map((i) => i.value),
    external: live.filter((i) => i.kind === 'external').map((i) => i.value),
  };
};

const sourceKinds = new Map<string, string>();
const sourceKindOf = async (q: Queryable, sourceId: string): Promise<string | null> => {
  const known = sourceKinds.get(sourceId);
  if (known) return known;
  const kind = (await q.query<{ kind: string }>('SELECT kind FROM event_sources WHERE id = $1', [sourceId]))
    .rows[0]?.kind;
  if (kind) sourceKinds.set(sourceId, kind);
  return kind ?? null;
};

/**
 * Removes suppressed e-mail/phone traits from the stored identify event of this message: the
 * suppression list holds for ingestion too (the message is matched by source, receipt and ids).
 */
const scrubSuppressed = async (tx: Tx, m: QueueRow, keys: string[]): Promise<void> => {
  await tx.query(
    `UPDATE events SET traits = traits - $6::text[]
     WHERE source_id = $1 AND received_at = $2 AND type = 'identify' AND "timestamp" = $3
       AND user_id IS NOT DISTINCT FROM $4 AND anonymous_id IS NOT DISTINCT FROM $5`,
    [m.source_id, m.received_at, m.timestamp, m.user_id, m.anonymous_id, keys],
  );
};

/**
 * Processes one identify or alias message (inside the caller's transaction). With `dirty`, the
 * customer to re-evaluate is added to it for the caller to mark once, sorted, at the end of its
 * transaction (see processIdentityQueue); without, it is marked dirty here.
 */
export const processIdentityMessage = async (
  tx: Tx,
  deps: IDeps,
  m: QueueRow,
  dirty?: Set<string>,
): Promise<IdentityOutcome> => {
  const country = deps.config.defaultCountry;
  const anon = m.anonymous_id ? normalizeIdentity('anonymous', m.anonymous_id, country) : null;
  const user = m.user_id?.trim() || null;
  const prev = m.type === 'alias' ? m.previous_id?.trim() || null : null;
  await lockIds(tx, [user, anon, prev]);
  const server = (await sourceKindOf(tx, m.source_id)) === 'server';
  const contact = await contactOf(tx, deps, m.type === 'identify' ? m.traits : {});
  const userExternal = externalValue(user, country);
  const prevAnonymous = prev ? normalizeIdentity('anonymous', prev, country) : null;
  const prevExternal = externalValue(prev, country);

  const userCus = user ? await byUserId(tx, user) : null;
  const anonCus = anon ? await byIdentity(tx, 'anonymous', anon) : null;
  const prevCus = prev
    ? ((await byUserId(tx, prev)) ??
      (prevAnonymous ? await byIdentity(tx, 'anonymous', prevAnonymous) : null))
    : null;
  if (contact.suppressed) await scrubSuppressed(tx, m, contact.suppressedKeys);
  let serverCus: string | null = null;
  if (server && contact.email) serverCus = await byIdentity(tx, 'email', contact.email);
  if (server && !serverCus && contact.phone) serverCus = await byIdentity(tx, 'phone', contact.phone);

  let target = userCus ?? prevCus ?? (user ? serverCus : (anonCus ?? serverCus));
  let created = false;
  if (!target && userExternal && !contact.suppressed) {
    target = await createTrackedCustomer(tx, deps, m.channel_id);
    created = true;
  }
  if (!target) return { customerId: null, created, attributed: 0 };

  // Link what the message names; anything held by another customer stays theirs.
  if (userExternal) await link(tx, deps, target, 'external', userExternal, m.channel_id);
  if (anon) await link(tx, deps, target, 'anonymous', anon, m.channel_id);
  if (prev && !prevCus) {
    if (prevAnonymous) await link(tx, deps, target, 'anonymous', prevAnonymous, m.channel_id);
    else if (prevExternal) await link(tx, deps, target, 'external', prevExternal, m.channel_id);
  }
  if (server) {
    const c = await getCustomer(tx, target);
    if (contact.email) await link(tx, deps, target, 'email', contact.email, m.channel_id, !c?.email);
    if (contact.phone) await link(tx, deps, target, 'phone', contact.phone, m.channel_id, !c?.phone);
  }

  const ids = await idsOf(
    tx,
    target,
    [anon, prevAnonymous].filter((v): v is string => Boolean(v)),
    [userExternal, prevExternal].filter((v): v is string => Boolean(v)),
  );
  // a `cus_…` userId names its customer (a merged one's survivor): its events are the target's too
  const ownIds = [
    ...(user && CUSTOMER_ID.test(user) && userCus === target ? [user] : []),
    ...(prev && CUSTOMER_ID.test(prev) && prevCus === target ? [prev] : []),
  ];
  const userIds = [...ids.external, ...ownIds];
  const filled = await backfill(tx, target, ids.anonymous, userIds);

  const now = deps.clock.now();
  if ((await checkProcessing(tx, target, 'traits')).allowed) {
    for (const e of filled.identifies) {
      const clean = await contactOf(tx, deps, e.traits);
      await upsertTraits(
        tx,
        target,
        { traits: clean.traits, observedAt: e.timestamp, sourceId: e.source_id },
        now,
      );
    }
    await upsertTraits(
      tx,
      target,
      { traits: contact.traits, observedAt: m.timestamp, sourceId: m.source_id },
      now,
    );
  }
  if (dirty) dirty.add(target);
  else await markDirty(tx, [target], now);
  return { customerId: target, created, attributed: filled.attributed };
};

/**
 * Queues customers for re-evaluation of computed traits and segments (helper E's job). The rows are
 * inserted in id order ("C" collation), as by every multi-row upsert of audience_dirty (the event
 * group commit, markAudienceDirty), so concurrent transactions lock them in the same order.
 */
export const markDirty = async (q: Queryable, customerIds: readonly string[], now: Date): Promise<void> => {
  if (customerIds.length === 0) return;
  await q.query(
    `INSERT INTO audience_dirty (customer_id, queued_at)
     SELECT id, $2 FROM unnest($1::text[]) AS id GROUP BY id ORDER BY id COLLATE "C"
     ON CONFLICT (customer_id) DO NOTHING`,
    [customerIds, now],
  );
};
