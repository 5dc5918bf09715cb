/**
 * Merging two profiles of the same person, by an admin only (never automatically): everything the
 * merged profile holds moves to the survivor in one transaction, and the audit records each row
 * that moved so the merge can be undone.
 */
import { getCart, touchCart } from '../../modules/carts/index.ts';
import { moveConsentRecords } from '../../modules/consent/index.ts';
import {
  type CustomerRow,
  getCustomerForUpdate,
  moveAddress,
  moveIdentity,
  revokeSessionsOf,
  setMerged,
  updateCustomer,
} from '../../modules/customers/index.ts';
import { ensureAccount, moveEntries, settleBalances } from '../../modules/loyalty/index.ts';
import { moveEndpoints } from '../../modules/messaging/index.ts';
import { reassignOrders } from '../../modules/orders/index.ts';
import type { Tx } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { insertMerge, insertMoves, type MoveRow } from './audit.ts';
import { FILLABLE, type MergePlan, planMerge } from './plan.ts';

/** Locks both customers in id order (two concurrent merges cannot deadlock) and checks they can merge. */
export const lockPair = async (
  tx: Tx,
  survivorId: string,
  mergedId: string,
): Promise<Result<{ survivor: CustomerRow; merged: CustomerRow }, 'CONFLICT' | 'UNPROCESSABLE'>> => {
  if (survivorId === mergedId) return fail('UNPROCESSABLE', 'A customer cannot be merged into itself');
  const [first, second] = [survivorId, mergedId].sort();
  const a = await getCustomerForUpdate(tx, first as string);
  const b = await getCustomerForUpdate(tx, second as string);
  const survivor = a?.id === survivorId ? a : b;
  const merged = a?.id === mergedId ? a : b;
  if (!survivor || survivor.status === 'erased') throw notFound('Customer', survivorId);
  if (!merged || merged.status === 'erased') throw notFound('Customer', mergedId);
  for (const c of [survivor, merged]) {
    if (c.status !== 'active') {
      return fail('CONFLICT', `Customer ${c.id} was already merged into ${c.merged_into}`, {
        customer_id: c.id,
        merged_into: c.merged_into,
      });
    }
  }
  return ok({ survivor, merged });
};

/** Applies a plan (see planMerge) and records every row it moved. Returns the merge id. */
export const applyMerge = async (tx: Tx, deps: Deps, plan: MergePlan, by: string, reason: string | null) => {
  const now = deps.clock.now();
  const from = plan.merged.id;
  const to = plan.survivor.id;
  const mergeId = newId('mrg');
  const before: Record<string, string | null> = {};
  for (const f of FILLABLE) before[f] = plan.survivor[f];
  await insertMerge(tx, {
    id: mergeId,
    survivor_id: to,
    merged_id: from,
    reason,
    survivor_before: before,
    created_by: by,
    created_at: now,
  });
  const moves: MoveRow[] = [];

  for (const i of plan.identities) {
    if (await moveIdentity(tx, i.id, from, to, i.primary_after)) {
      moves.push({ kind: 'identity', row_id: i.id, before: { is_primary: i.primary_before } });
    }
  }
  for (const id of await reassignOrders(tx, plan.orders, from, to, now))
    moves.push({ kind: 'order', row_id: id, before: {} });
  for (const c of plan.carts) {
    const cart = await getCart(tx, c.id, true);
    if (cart?.customer_id !== from) continue;
    await touchCart(
      tx,
      c.id,
      c.parked_into ? { customer_id: to, status: 'merged', merged_into: c.parked_into } : { customer_id: to },
      now,
    );
    moves.push({
      kind: 'cart',
      row_id: c.id,
      before: { status: cart.status, merged_into: cart.merged_into },
    });
  }
  if (plan.points.ids.length) {
    if (!plan.points.survivor_has_account) {
      await ensureAccount(tx, deps, to);
      moves.push({ kind: 'loyalty_account', row_id: to, before: { created: true } });
    }
    for (const id of await moveEntries(tx, plan.points.ids, from, to))
      moves.push({ kind: 'points', row_id: id, before: {} });
    await settleBalances(tx, deps, from, to, { note: 'merge', mergeId });
  }
  for (const id of await moveConsentRecords(tx, plan.consents, from, to))
    moves.push({ kind: 'consent', row_id: id, before: {} });
  for (const a of plan.addresses) {
    if (await moveAddress(tx, a.id, from, to, a.default_after, now)) {
      moves.push({ kind: 'address', row_id: a.id, before: { is_default_shipping: a.default_before } });
    }
  }
  for (const id of await moveEndpoints(tx, plan.devices, from, to))
    moves.push({ kind: 'device', row_id: id, before: {} });
  for (const id of await revokeSessionsOf(tx, from, now))
    moves.push({ kind: 'session', row_id: id, before: { revoked: true } });

  if (Object.keys(plan.fill).length) await updateCustomer(tx, to, plan.fill, now);
  await setMerged(tx, from, to, now);
  await insertMoves(tx, mergeId, moves);
  const counts: Record<string, number> = {};
  for (const mv of moves) counts[mv.kind] = (counts[mv.kind] ?? 0) + 1;
  await writeEvent(tx, deps.clock, {
    type: 'customer.merged',
    aggregateType: 'customer',
    aggregateId: to,
    data: { customer_id: to, merged_customer_id: from, merge_id: mergeId, moved: counts, by },
  });
  await writeEvent(tx, deps.clock, {
    type: 'customer.merged_away',
    aggregateType: 'customer',
    aggregateId: from,
    data: { customer_id: from, merged_into: to, merge_id: mergeId, by },
  });
  return mergeId;
};

/** Merges `mergedId` into `survivorId` (admin action) and returns the merge id. */
export const mergeCustomers = async (
  tx: Tx,
  deps: Deps,
  m: { survivorId: string; mergedId: string; by: string; reason?: string | null },
): Promise<Result<string, 'CONFLICT' | 'UNPROCESSABLE'>> => {
  const pair = await lockPair(tx, m.survivorId, m.mergedId);
  if (!pair.ok) return pair;
  const plan = await planMerge(tx, pair.value.survivor, pair.value.merged, deps.clock.now());
  return ok(await applyMerge(tx, deps, plan, m.by, m.reason ?? null));
};
