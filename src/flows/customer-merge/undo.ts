/**
 * Undoing a merge (a split): the rows the merge moved go back to the profile they came from and both
 * profiles are as they were. What changed in between is handled, and listed in the undo report:
 * - identities unlinked since, carts checked out since, addresses deleted since: stay where they are;
 * - rows created on the survivor after the merge stay with it, except points rows of an order that
 *   goes back (they follow their order);
 * - if the survivor spent the merged profile's points meanwhile, the shortfall is charged to the
 *   profile the points came from (two adjustment rows), so no balance goes below zero;
 * - consent withdrawals recorded on the survivor after the merge are copied to the restored profile
 *   (a person who said stop is never contacted again because of an undo);
 * - profile gaps the merge filled are cleared unless changed since; sessions are not revived.
 */
import { getCart, touchCart } from '../../modules/carts/index.ts';
import { consentHistory, insertConsent, moveConsentRecords } from '../../modules/consent/index.ts';
import {
  getCustomerForUpdate,
  moveAddress,
  moveIdentity,
  setMerged,
  updateCustomer,
} from '../../modules/customers/index.ts';
import { allEntriesOf, dropEmptyAccount, moveEntries, settleBalances } from '../../modules/loyalty/index.ts';
import { moveEndpoints } from '../../modules/messaging/index.ts';
import { reassignOrders } from '../../modules/orders/index.ts';
import type { Tx } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { finishUndo, getMerge, type MoveRow, movesOf } from './audit.ts';
import { FILLABLE, type Fillable } from './plan.ts';

export interface UndoReport {
  restored: Record<string, number>;
  kept: { kind: string; row_id: string; reason: string }[];
  followed_order: string[];
  points_charged: number;
  consents_copied: number;
  profile_kept: string[];
}

const idsOf = (moves: MoveRow[], kind: MoveRow['kind']) => moves.filter((m) => m.kind === kind);

export const undoMerge = async (
  tx: Tx,
  deps: Deps,
  mergeId: string,
  by: string,
): Promise<Result<UndoReport, 'CONFLICT'>> => {
  const m = await getMerge(tx, mergeId, true);
  if (!m) throw notFound('Merge', mergeId);
  if (m.status === 'undone')
    return fail('CONFLICT', 'This merge was already undone', { undone_at: m.undone_at });
  const [first, second] = [m.survivor_id, m.merged_id].sort();
  const x = await getCustomerForUpdate(tx, first as string);
  const y = await getCustomerForUpdate(tx, second as string);
  const survivor = x?.id === m.survivor_id ? x : y;
  const merged = x?.id === m.merged_id ? x : y;
  if (!survivor || !merged) throw notFound('Customer', m.survivor_id);
  if (survivor.status !== 'active') {
    return fail('CONFLICT', `Customer ${survivor.id} is ${survivor.status}; undo its own merge first`, {
      status: survivor.status,
      merged_into: survivor.merged_into,
    });
  }
  if (merged.status !== 'merged' || merged.merged_into !== survivor.id) {
    return fail('CONFLICT', `Customer ${merged.id} is no longer merged into ${survivor.id}`);
  }
  const now = deps.clock.now();
  const to = merged.id;
  const from = survivor.id;
  const moves = await movesOf(tx, mergeId);
  const report: UndoReport = {
    restored: {},
    kept: [],
    followed_order: [],
    points_charged: 0,
    consents_copied: 0,
    profile_kept: [],
  };
  const restored = (kind: string) => {
    report.restored[kind] = (report.restored[kind] ?? 0) + 1;
  };
  const kept = (kind: string, row_id: string, reason: string) => report.kept.push({ kind, row_id, reason });

  for (const mv of idsOf(moves, 'identity')) {
    if (await moveIdentity(tx, mv.row_id, from, to, Boolean(mv.before.is_primary))) restored('identity');
    else kept('identity', mv.row_id, 'unlinked_since_merge');
  }
  const orderIds = idsOf(moves, 'order').map((mv) => mv.row_id);
  const back = await reassignOrders(tx, orderIds, from, to, now);
  for (let i = 0; i < back.length; i++) restored('order');
  for (const id of orderIds.filter((o) => !back.includes(o))) kept('order', id, 'no_longer_with_survivor');

  for (const mv of idsOf(moves, 'cart')) {
    const cart = await getCart(tx, mv.row_id, true);
    const statusThen = mv.before.status as string;
    if (cart?.customer_id !== from) kept('cart', mv.row_id, 'no_longer_with_survivor');
    else if (cart.status === 'checked_out' && statusThen !== 'checked_out')
      kept('cart', mv.row_id, 'checked_out_since_merge');
    else {
      const wasParked = statusThen === 'active' && cart.status === 'merged';
      await touchCart(
        tx,
        cart.id,
        wasParked ? { customer_id: to, status: 'active', merged_into: null } : { customer_id: to },
        now,
      );
      restored('cart');
    }
  }

  const pointIds = idsOf(moves, 'points').map((mv) => mv.row_id);
  const survivorEntries = await allEntriesOf(tx, from);
  const following = survivorEntries
    .filter(
      (e) =>
        !pointIds.includes(e.id) &&
        e.order_id !== null &&
        back.includes(e.order_id) &&
        e.created_at >= m.created_at,
    )
    .map((e) => e.id);
  const movedPoints = await moveEntries(tx, [...pointIds, ...following], from, to);
  if (movedPoints.length || idsOf(moves, 'loyalty_account').length) {
    report.followed_order = following.filter((id) => movedPoints.includes(id));
    for (const id of movedPoints) if (pointIds.includes(id)) restored('points');
    const settled = await settleBalances(tx, deps, to, from, { note: 'merge_undo', mergeId });
    report.points_charged = settled.charged;
    if (idsOf(moves, 'loyalty_account').length) await dropEmptyAccount(tx, from);
  }

  const consentIds = idsOf(moves, 'consent').map((mv) => mv.row_id);
  const consentsBack = await moveConsentRecords(tx, consentIds, from, to);
  for (let i = 0; i < consentsBack.length; i++) restored('consent');
  const stops = (await consentHistory(tx, [from])).filter(
    (c) => c.recorded_at >= m.created_at && (c.status === 'withdrawn' || c.status === 'denied'),
  );
  for (const c of stops) {
    await insertConsent(tx, {
      ...c,
      id: newId('cns'),
      customer_id: to,
      source: 'merge_undo',
      recorded_by: by,
      confirmation_token_hash: null,
      confirmation_expires_at: null,
      confirms_record_id: null,
      recorded_at: now,
    });
    report.consents_copied++;
  }

  for (const mv of idsOf(moves, 'address')) {
    if (await moveAddress(tx, mv.row_id, from, to, Boolean(mv.before.is_default_shipping), now))
      restored('address');
    else kept('address', mv.row_id, 'deleted_since_merge');
  }
  // devices go back unless another customer took them since (a login on that device)
  const devices = idsOf(moves, 'device').map((mv) => mv.row_id);
  const devicesBack = await moveEndpoints(tx, devices, from, to);
  for (const id of devices)
    if (devicesBack.includes(id)) restored('device');
    else kept('device', id, 'moved_since_merge');
  for (const mv of idsOf(moves, 'session')) kept('session', mv.row_id, 'sessions_are_not_revived');

  const clear: Partial<Record<Fillable, null>> = {};
  for (const f of FILLABLE) {
    if (m.survivor_before[f] !== null || merged[f] === null) continue;
    if (survivor[f] === merged[f]) clear[f] = null;
    else report.profile_kept.push(f);
  }
  if (Object.keys(clear).length) await updateCustomer(tx, from, clear, now);
  await setMerged(tx, to, null, now);
  await finishUndo(tx, mergeId, by, now, report);
  for (const [customer, other] of [
    [from, to],
    [to, from],
  ]) {
    await writeEvent(tx, deps.clock, {
      type: 'customer.merge_undone',
      aggregateType: 'customer',
      aggregateId: customer,
      data: { customer_id: customer, other_customer_id: other, merge_id: mergeId, by },
    });
  }
  return ok(report);
};
