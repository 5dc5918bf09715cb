/**
 * The data export (GDPR articles 15 and 20): one machine-readable JSON document with everything
 * Plaza holds on the person — profile, identities, addresses, sessions, orders, carts, consents with
 * their proofs, loyalty account and ledger, merges, data requests and the full timeline of events.
 */
import { linesOf as cartLinesOf, cartsOfCustomers } from '../../modules/carts/index.ts';
import { consentHistory, consentToApi } from '../../modules/consent/index.ts';
import {
  adminCustomerViews,
  getCustomers,
  sessionsOf,
  withMergedAliases,
} from '../../modules/customers/index.ts';
import { accountView, allEntriesOf, entryToApi } from '../../modules/loyalty/index.ts';
import { listOrders, orderViews } from '../../modules/orders/index.ts';
import { listRequests, requestToApi } from '../../modules/privacy/index.ts';
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { customerTimeline, type TimelineEntry } from '../customer-360/index.ts';
import { mergesOf, mergeToApi } from '../customer-merge/audit.ts';

const allOrders = async (q: Queryable, customerId: string) => {
  const out = [];
  let before: string | undefined;
  for (;;) {
    const rows = await listOrders(q, { customerId, before, limit: 500 });
    out.push(...rows);
    if (rows.length < 500) return out;
    before = rows.at(-1)?.id;
  }
};

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

export const buildExport = async (q: Queryable, deps: Pick<Deps, 'clock'>, customerId: string) => {
  const now = deps.clock.now();
  const ids = await withMergedAliases(q, customerId);
  const profiles = await adminCustomerViews(q, await getCustomers(q, ids));
  const orders = (await Promise.all(ids.map((id) => allOrders(q, id)))).flat();
  const carts = await cartsOfCustomers(q, ids);
  const cartLines = await Promise.all(carts.map((c) => cartLinesOf(q, c.id)));
  const requests = (
    await Promise.all(ids.map((id) => listRequests(q, { customerId: id, limit: 1000 })))
  ).flat();
  const merges = (await Promise.all(ids.map((id) => mergesOf(q, id)))).flat();
  return {
    format: 'plaza.customer-export',
    version: 1,
    generated_at: now.toISOString(),
    customer_id: customerId,
    profiles,
    sessions: (await sessionsOf(q, ids)).map((s) => ({
      ...s,
      created_at: s.created_at.toISOString(),
      expires_at: s.expires_at.toISOString(),
      revoked_at: s.revoked_at?.toISOString() ?? null,
    })),
    orders: await orderViews(q, orders),
    carts: carts.map((c, i) => ({
      ...c,
      created_at: c.created_at.toISOString(),
      updated_at: c.updated_at.toISOString(),
      lines: (cartLines[i] ?? []).map((l) => ({
        sku: l.sku,
        quantity: l.quantity,
        channel_id: l.channel_id,
      })),
    })),
    consents: (await consentHistory(q, ids)).map(consentToApi),
    loyalty: {
      account: await accountView(q, deps, customerId),
      ledger: (await Promise.all(ids.map((id) => allEntriesOf(q, id)))).flat().map(entryToApi),
    },
    merges: merges.map((m) => mergeToApi(m)),
    requests: requests.map((r) => requestToApi(r, now)),
    timeline: await fullTimeline(q, customerId),
  };
};
