/**
 * The data export (GDPR articles 15 and 20): one machine-readable JSON document (the published
 * schema is ExportDocument in the privacy module) with everything Plaza holds on the person. The
 * `records` section is driven by the registry of personal data: every row of every table that the
 * registry ties to the person (own and guest history), secrets such as token hashes left out. The
 * other sections are readable views of the same data.
 */
import { consentHistory, consentToApi } from '../../modules/consent/index.ts';
import { adminCustomerViews, getCustomers, sessionsOf } from '../../modules/customers/index.ts';
import { accountView, allEntriesOf, entryToApi } from '../../modules/loyalty/index.ts';
import { getOrders, orderViews } from '../../modules/orders/index.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, listRequests, requestToApi } from '../../modules/privacy/index.ts';
import { PERSONAL_TABLES } from '../../personal-data.ts';
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { exportTable } from '../../platform/personal-data.ts';
import { customerTimeline, type TimelineEntry } from '../customer-360/index.ts';
import { mergesOf, mergeToApi } from '../customer-merge/audit.ts';
import { type Person, personOf } from './scope.ts';

const fullTimeline = async (q: Queryable, customerId: string): Promise<TimelineEntry[]> => {
  const out: TimelineEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await customerTimeline(q, customerId, { limit: 500, cursor });
    out.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return out;
};

/** Every row the registry ties to the person, by section. */
export const registryRecords = async (q: Queryable, person: Person) => {
  const records: Record<string, Record<string, unknown>[]> = {};
  for (const t of PERSONAL_TABLES) {
    const rows = await exportTable(q, t, person);
    const section = t.section ?? t.table;
    records[section] = [...(records[section] ?? []), ...rows];
  }
  return records;
};

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const buildExport = async (q: Queryable, deps: Pick<Deps, 'clock' | 'config'>, customerId: string) => {
  const now = deps.clock.now();
  const person = await personOf(q, deps, customerId);
  const ids = person.customerIds;
  const records = await registryRecords(q, person);
  const requests = (
    await Promise.all(ids.map((id) => listRequests(q, { customerId: id, limit: 1000 })))
  ).flat();
  const merges = (await Promise.all(ids.map((id) => mergesOf(q, id)))).flat();
  const account = await accountView(q, deps, customerId);
  const cartLines = records.cart_lines ?? [];
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    generated_at: now.toISOString(),
    customer_id: customerId,
    customer_ids: [...ids],
    profiles: await adminCustomerViews(q, await getCustomers(q, ids)),
    sessions: (await sessionsOf(q, ids)).map((s) => ({
      ...s,
      created_at: s.created_at.toISOString(),
      expires_at: s.expires_at.toISOString(),
      revoked_at: iso(s.revoked_at),
    })),
    orders: await orderViews(q, await getOrders(q, person.orderIds)),
    carts: (records.carts ?? []).map((c) => ({
      ...c,
      lines: cartLines
        .filter((l) => l.cart_id === c.id)
        .map((l) => ({ sku: l.sku, quantity: l.quantity, channel_id: l.channel_id })),
    })),
    consents: (await consentHistory(q, ids)).map(consentToApi),
    loyalty: {
      account: account ? { ...account } : null,
      ledger: (await Promise.all(ids.map((id) => allEntriesOf(q, id)))).flat().map(entryToApi),
    },
    merges: merges.map((m) => mergeToApi(m)),
    requests: requests.map((r) => requestToApi(r, now)),
    guest_history: {
      orders: person.guest.orders.map((o) => ({ ...o, placed_at: o.placed_at.toISOString() })),
      cart_ids: person.guest.cartIds,
    },
    records,
    timeline: (await fullTimeline(q, customerId)).map((e) => ({ ...e })),
  };
};
