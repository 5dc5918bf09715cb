/**
 * Loyalty accounts and points: enrolment with a card number, earning on paid and fulfilled orders,
 * proportional reversal on returns, admin adjustments. Every change is a ledger row with the balance
 * moved by the same amount in the same transaction.
 */
import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import {
  assertProcessing,
  getCustomer,
  linkIdentity,
  normalizeCardNumber,
  survivorOf,
} from '../customers/index.ts';
import { formatCardNumber, isValidCardNumber, newCardNumber } from './card.ts';
import { type LoyaltyProgram, loyaltyProgram, pointsFor, tierFor } from './program.ts';
import * as repo from './repo.ts';

type LDeps = Pick<Deps, 'clock' | 'config'>;
const YEAR_MS = 365 * 24 * 3_600_000;

const EVENT: Record<repo.EntryKind, string> = {
  earn: 'loyalty.points_earned',
  redeem: 'loyalty.points_redeemed',
  release: 'loyalty.redemption_released',
  reverse: 'loyalty.points_reversed',
  expire: 'loyalty.points_expired',
  adjust: 'loyalty.points_adjusted',
};

/** Appends an entry and announces it; undefined when the balance would go below zero. */
export const post = async (tx: Tx, deps: Pick<Deps, 'clock'>, e: repo.NewEntry) => {
  const r = await repo.appendEntry(tx, e);
  if (!r) return undefined;
  await writeEvent(tx, deps.clock, {
    type: EVENT[e.kind],
    aggregateType: 'customer',
    aggregateId: e.customerId,
    data: {
      customer_id: e.customerId,
      entry_id: r.entry.id,
      points: e.points,
      balance: r.balance,
      order_id: e.orderId ?? null,
      reference: e.reference ?? null,
      ...(typeof e.data?.channel_id === 'string' ? { channel_id: e.data.channel_id } : {}),
      ...(typeof e.data?.location_id === 'string' ? { location_id: e.data.location_id } : {}),
    },
  });
  return r;
};

/**
 * Enrols a customer (idempotent): an account with a new card number, linked as the customer's
 * `loyalty_card` identity so the card finds them at any POS.
 */
export const enroll = async (
  tx: Tx,
  deps: LDeps,
  customerId: string,
  opts: { source: string; channelId?: string | null },
): Promise<repo.AccountRow> => {
  const existing = await repo.getAccount(tx, customerId, true);
  if (existing?.card_number) return existing;
  const c = await getCustomer(tx, customerId);
  if (c?.status !== 'active') throw notFound('Customer', customerId);
  await assertProcessing(tx, customerId, 'loyalty');
  const now = deps.clock.now();
  for (let attempt = 0; attempt < 5; attempt++) {
    const card = newCardNumber();
    const account = existing
      ? (
          await tx.query<repo.AccountRow>(
            `UPDATE loyalty_accounts SET card_number = $2, updated_at = $3 WHERE customer_id = $1
               AND NOT EXISTS (SELECT 1 FROM loyalty_accounts WHERE card_number = $2)
             RETURNING customer_id, card_number, balance, enrolled_at, last_activity_at, updated_at`,
            [customerId, card, now],
          )
        ).rows[0]
      : await repo.insertAccount(tx, customerId, card, now);
    if (!account) continue;
    const link = await linkIdentity(tx, deps, {
      customerId,
      kind: 'loyalty_card',
      value: card,
      verified: true,
      source: opts.source,
      channelId: opts.channelId,
    });
    if (!link.ok || link.value.status === 'linked_to_other') {
      throw new PlazaError('CONFLICT', 'A card number clashed with another identity; try again', {
        retryable: true,
      });
    }
    await writeEvent(tx, deps.clock, {
      type: 'loyalty.enrolled',
      aggregateType: 'customer',
      aggregateId: customerId,
      data: { customer_id: customerId, source: opts.source, channel_id: opts.channelId ?? null },
    });
    return account;
  }
  throw new PlazaError('CONFLICT', 'Could not issue a card number; try again', { retryable: true });
};

/** Makes sure a customer has an account (without issuing a card): merges give points to non-members. */
export const ensureAccount = async (tx: Tx, deps: Pick<Deps, 'clock'>, customerId: string) =>
  (await repo.getAccount(tx, customerId, true)) ??
  ((await repo.insertAccount(tx, customerId, null, deps.clock.now())) as repo.AccountRow);

export interface TierStatus {
  name: string;
  multiplier_bps: number;
  spend_12m: number;
  next: { name: string; min_spend: number; remaining: number } | null;
}

export const tierStatus = async (
  q: Queryable,
  program: LoyaltyProgram,
  customerId: string,
  now: Date,
): Promise<TierStatus> => {
  const spend = await repo.spendSince(q, customerId, new Date(now.getTime() - YEAR_MS));
  const tier = tierFor(program, spend);
  const next = program.tiers.find((t) => t.min_spend > spend);
  return {
    name: tier.name,
    multiplier_bps: tier.multiplier_bps,
    spend_12m: spend,
    next: next ? { name: next.name, min_spend: next.min_spend, remaining: next.min_spend - spend } : null,
  };
};

/**
 * Earns the points of a paid and fulfilled order (once per order): qualifying spend (lines after
 * discounts, without shipping or tax, minus returns already received) × the rate × the tier
 * multiplier of the 12 months before. Non-members are enrolled first when the program says so.
 */
export const earnForOrder = async (
  tx: Tx,
  deps: LDeps,
  o: {
    customerId: string;
    orderId: string;
    spend: number;
    currency: string;
    channelId?: string;
    locationId?: string | null;
  },
): Promise<repo.EntryRow | undefined> => {
  const program = await loyaltyProgram(tx);
  if (!program.enabled) return undefined;
  let account = await repo.getAccount(tx, o.customerId, true);
  if (!account) {
    if (!program.auto_enroll) return undefined;
    account = await enroll(tx, deps, o.customerId, { source: 'first_order', channelId: o.channelId });
  }
  const entries = await repo.entriesOfOrder(tx, o.orderId);
  if (entries.some((e) => e.kind === 'earn')) return undefined;
  const returnedBefore = -entries.filter((e) => e.kind === 'reverse').reduce((s, e) => s + e.spend, 0);
  const spend = Math.max(0, o.spend - returnedBefore);
  const now = deps.clock.now();
  const tier = await tierStatus(tx, program, o.customerId, now);
  const points = pointsFor(program, spend, o.currency, tier.multiplier_bps);
  const r = await post(tx, deps, {
    customerId: o.customerId,
    kind: 'earn',
    points,
    spend,
    currency: o.currency,
    orderId: o.orderId,
    data: {
      tier: tier.name,
      multiplier_bps: tier.multiplier_bps,
      channel_id: o.channelId,
      location_id: o.locationId,
    },
    at: now,
  });
  return r?.entry;
};

/**
 * Reverses points in proportion to a return: after it, the order keeps the points of what was not
 * returned (floor(earned × returned ÷ spend) in total, never more than earned). Points already spent
 * are not taken below zero: the shortfall is recorded on the row. A return before the points were
 * earned is remembered (0 points) and deducted from the spend when they are.
 */
export const reverseForReturn = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  r: { customerId: string; orderId: string; amount: number; reference: string; currency?: string },
): Promise<repo.EntryRow | undefined> => {
  if (await repo.entryByReference(tx, 'reverse', r.reference)) return undefined;
  const account = await repo.getAccount(tx, r.customerId, true);
  if (!account) return undefined;
  const entries = await repo.entriesOfOrder(tx, r.orderId);
  const earn = entries.find((e) => e.kind === 'earn');
  const now = deps.clock.now();
  const base = {
    customerId: r.customerId,
    kind: 'reverse' as const,
    spend: -r.amount,
    orderId: r.orderId,
    reference: r.reference,
    at: now,
  };
  if (!earn) {
    return (await post(tx, deps, { ...base, points: 0, currency: r.currency, data: { before_earn: true } }))
      ?.entry;
  }
  const after = entries.filter((e) => e.kind === 'reverse' && e.data.before_earn !== true);
  const returned = -after.reduce((s, e) => s + e.spend, 0) + r.amount;
  const target =
    earn.spend > 0 ? Math.min(earn.points, Math.floor((earn.points * returned) / earn.spend)) : 0;
  const dueBefore = after.reduce((s, e) => s + Number(e.data.due ?? 0), 0);
  const due = Math.max(0, target - dueBefore);
  const take = Math.min(due, account.balance);
  return (
    await post(tx, deps, {
      ...base,
      points: -take,
      currency: earn.currency,
      data: { due, shortfall: due - take },
    })
  )?.entry;
};

/** An admin's correction, positive or negative (never below zero). */
export const adjustPoints = async (
  tx: Tx,
  deps: LDeps,
  a: { customerId: string; points: number; note: string; by: string },
): Promise<Result<{ entry: repo.EntryRow; balance: number }, 'INSUFFICIENT_POINTS' | 'NOT_FOUND'>> => {
  const account = await repo.getAccount(tx, a.customerId, true);
  if (!account) return fail('NOT_FOUND', 'This customer is not enrolled in the loyalty program');
  const r = await post(tx, deps, {
    customerId: a.customerId,
    kind: 'adjust',
    points: a.points,
    note: a.note,
    data: { by: a.by },
    at: deps.clock.now(),
  });
  if (!r) return fail('INSUFFICIENT_POINTS', 'Not enough points', { balance: account.balance });
  return ok(r);
};

/** What a POS shows: enrolled or not, the balance, and what a point is worth (minor units). */
export const loyaltyBalance = async (
  q: Queryable,
  customerId: string,
): Promise<{ enrolled: boolean; balance: number; point_value: number; card_number: string | null }> => {
  const [account, program] = await Promise.all([repo.getAccount(q, customerId), loyaltyProgram(q)]);
  return {
    enrolled: Boolean(account),
    balance: account?.balance ?? 0,
    point_value: program.point_value,
    card_number: account?.card_number ?? null,
  };
};

export const accountView = async (q: Queryable, deps: Pick<Deps, 'clock'>, customerId: string) => {
  const account = await repo.getAccount(q, customerId);
  const program = await loyaltyProgram(q);
  const tier = await tierStatus(q, program, customerId, deps.clock.now());
  return {
    enrolled: Boolean(account),
    card_number: account?.card_number ? formatCardNumber(account.card_number) : null,
    balance: account?.balance ?? 0,
    point_value: program.point_value,
    tier,
  };
};

export const entryToApi = (e: repo.EntryRow) => ({
  id: e.id,
  kind: e.kind,
  points: e.points,
  spend: e.spend,
  currency: e.currency,
  order_id: e.order_id,
  reference: e.reference,
  note: e.note,
  created_at: e.created_at.toISOString(),
});

/**
 * The customer a loyalty card number belongs to, for a POS. A number whose check character is wrong
 * is told apart from an unknown one (`mistyped`), so the till can ask to scan or type it again.
 */
export const customerByCard = async (
  q: Queryable,
  cardNumber: string,
): Promise<{ customerId: string } | { customerId: null; reason: 'mistyped' | 'unknown' }> => {
  const n = normalizeCardNumber(cardNumber);
  if (!isValidCardNumber(n)) return { customerId: null, reason: 'mistyped' };
  const { rows } = await q.query<{ customer_id: string }>(
    'SELECT customer_id FROM loyalty_accounts WHERE card_number = $1',
    [n],
  );
  const owner = rows[0]?.customer_id;
  if (!owner) return { customerId: null, reason: 'unknown' };
  const c = await getCustomer(q, owner);
  if (!c || c.status === 'erased') return { customerId: null, reason: 'unknown' };
  // A merged profile's card leads to the profile that holds its points now.
  return { customerId: (await survivorOf(q, c)).id };
};
