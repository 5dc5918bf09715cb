/**
 * Erasure (GDPR article 17) in one transaction, for the customer and every profile merged into them:
 * personal data is deleted or irreversibly anonymised, orders stay for accounting with an anonymised
 * customer, and keyed hashes of the emails and phones stop the person being re-created by a later
 * registration or import. Refused (CONFLICT) while an order is still open: it must be fulfilled or
 * cancelled first (its address is needed).
 */
import { cartsOfCustomers, forgetCarts } from '../../modules/carts/index.ts';
import { scrubConsentProof } from '../../modules/consent/index.ts';
import {
  eraseCustomerRecord,
  getCustomerForUpdate,
  withMergedAliases,
} from '../../modules/customers/index.ts';
import { closeAccount } from '../../modules/loyalty/index.ts';
import { anonymiseOrdersOf, customerOrderFacts } from '../../modules/orders/index.ts';
import { scrubRequestsOf } from '../../modules/privacy/index.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { scrubMergesOf } from '../customer-merge/index.ts';

const OPEN: readonly string[] = [
  'pending_payment',
  'confirmed',
  'ready_for_pickup',
  'partially_fulfilled',
  'shipped',
];

/** Keys that hold personal data in event payloads; removed from the customer's events on erasure. */
export const PERSONAL_KEYS = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'name',
  'address',
  'shipping_address',
  'ip',
  'user_agent',
  'token',
  'value',
  'note',
];

/** Removes personal keys from the outbox events about these customers (already-sent webhooks cannot be recalled). */
const scrubEvents = async (q: Queryable, customerIds: readonly string[]): Promise<number> =>
  (
    await q.query(
      `UPDATE outbox_events SET data = data - $2::text[]
       WHERE (data ->> 'customer_id') = ANY($1) AND data ?| $2::text[]`,
      [customerIds, PERSONAL_KEYS],
    )
  ).rowCount;

export interface ErasureReport {
  customers: string[];
  suppressed: number;
  identities: number;
  addresses: number;
  orders_anonymised: number;
  carts_scrubbed: number;
  consents_scrubbed: number;
  points_forfeited: number;
  events_scrubbed: number;
}

export const eraseCustomer = async (
  tx: Tx,
  deps: Deps,
  customerId: string,
  requestId: string | null,
): Promise<Result<ErasureReport, 'CONFLICT'>> => {
  const ids = (await withMergedAliases(tx, customerId)).sort();
  for (const id of ids) await getCustomerForUpdate(tx, id);
  const open = (await customerOrderFacts(tx, ids)).filter((o) => OPEN.includes(o.status));
  if (open.length) {
    return fail('CONFLICT', 'Orders are still open; fulfil or cancel them before erasing', {
      open_orders: open.map((o) => o.id),
    });
  }
  const now = deps.clock.now();
  const report: ErasureReport = {
    customers: ids,
    suppressed: 0,
    identities: 0,
    addresses: 0,
    orders_anonymised: 0,
    carts_scrubbed: 0,
    consents_scrubbed: 0,
    points_forfeited: 0,
    events_scrubbed: 0,
  };
  const devices: string[] = [];
  for (const id of ids) {
    const r = await eraseCustomerRecord(tx, deps, id);
    report.suppressed += r.suppressed;
    report.identities += r.identities;
    report.addresses += r.addresses;
    devices.push(...r.devices);
    report.orders_anonymised += await anonymiseOrdersOf(tx, id, now);
    report.points_forfeited += await closeAccount(tx, deps, id);
    await scrubMergesOf(tx, id);
  }
  const carts = await cartsOfCustomers(tx, ids, devices);
  report.carts_scrubbed = await forgetCarts(
    tx,
    carts.map((c) => c.id),
    now,
  );
  report.consents_scrubbed = await scrubConsentProof(tx, ids);
  await scrubRequestsOf(tx, ids);
  report.events_scrubbed = await scrubEvents(tx, ids);
  for (const id of ids) {
    await writeEvent(tx, deps.clock, {
      type: 'customer.erased',
      aggregateType: 'customer',
      aggregateId: id,
      data: { customer_id: id, request_id: requestId },
    });
  }
  return ok(report);
};
