/**
 * What a merge of duplicate profiles would move from the merged profile to the survivor: identities,
 * orders, carts, points, consents, addresses, push devices, sessions to end, and profile gaps the
 * survivor fills.
 * The same plan is shown as the preview and then applied, so the preview is exactly what happens.
 */
import { cartsOfCustomers } from '../../modules/carts/index.ts';
import { consentHistory } from '../../modules/consent/index.ts';
import {
  addressesOf,
  type CustomerRow,
  identitiesOf,
  liveSessionIds,
} from '../../modules/customers/index.ts';
import { allEntriesOf, getAccount } from '../../modules/loyalty/index.ts';
import { liveEndpointIds } from '../../modules/messaging/index.ts';
import { orderIdsOfCustomers } from '../../modules/orders/index.ts';
import type { Queryable } from '../../platform/db.ts';

/** Profile fields a survivor without them takes from the merged profile (undone by the undo). */
export const FILLABLE = ['first_name', 'last_name', 'birthday', 'language', 'preferred_location_id'] as const;
export type Fillable = (typeof FILLABLE)[number];

export interface MergePlan {
  survivor: CustomerRow;
  merged: CustomerRow;
  identities: { id: string; kind: string; value: string; primary_before: boolean; primary_after: boolean }[];
  orders: string[];
  carts: {
    id: string;
    status_before: string;
    merged_into_before: string | null;
    parked_into: string | null;
  }[];
  points: { ids: string[]; balance: number; survivor_has_account: boolean };
  consents: string[];
  addresses: { id: string; default_before: boolean; default_after: boolean }[];
  sessions: string[];
  /** live push endpoints (app and browser devices) */
  devices: string[];
  fill: Partial<Record<Fillable, string>>;
}

export const planMerge = async (
  q: Queryable,
  survivor: CustomerRow,
  merged: CustomerRow,
  now: Date,
): Promise<MergePlan> => {
  const [
    ids,
    survivorIds,
    orders,
    carts,
    survivorCarts,
    entries,
    account,
    survivorAccount,
    consents,
    addresses,
    survivorAddresses,
    sessions,
    devices,
  ] = await Promise.all([
    identitiesOf(q, [merged.id]),
    identitiesOf(q, [survivor.id]),
    orderIdsOfCustomers(q, [merged.id]),
    cartsOfCustomers(q, [merged.id]),
    cartsOfCustomers(q, [survivor.id]),
    allEntriesOf(q, merged.id),
    getAccount(q, merged.id),
    getAccount(q, survivor.id),
    consentHistory(q, [merged.id]),
    addressesOf(q, [merged.id]),
    addressesOf(q, [survivor.id]),
    liveSessionIds(q, merged.id, now),
    liveEndpointIds(q, merged.id),
  ]);
  const survivorActive = survivorCarts.find((c) => c.status === 'active' && c.customer_id === survivor.id);
  const hasPrimary = (kind: string) => survivorIds.some((i) => i.kind === kind && i.is_primary);
  const hasDefault = survivorAddresses.some((a) => a.is_default_shipping);
  const fill: MergePlan['fill'] = {};
  for (const f of FILLABLE) {
    const v = merged[f];
    if (survivor[f] === null && v !== null) fill[f] = v;
  }
  return {
    survivor,
    merged,
    identities: ids.map((i) => ({
      id: i.id,
      kind: i.kind,
      value: i.value,
      primary_before: i.is_primary,
      primary_after: i.is_primary && !hasPrimary(i.kind),
    })),
    orders,
    carts: carts
      .filter((c) => c.customer_id === merged.id)
      .map((c) => ({
        id: c.id,
        status_before: c.status,
        merged_into_before: c.merged_into,
        // Two open carts: the merged profile's is parked (merged into the survivor's), not combined.
        parked_into: c.status === 'active' && survivorActive ? survivorActive.id : null,
      })),
    points: {
      ids: entries.map((e) => e.id),
      balance: account?.balance ?? 0,
      survivor_has_account: Boolean(survivorAccount),
    },
    consents: consents.map((c) => c.id),
    addresses: addresses.map((a) => ({
      id: a.id,
      default_before: a.is_default_shipping,
      default_after: a.is_default_shipping && !hasDefault,
    })),
    sessions,
    devices,
    fill,
  };
};

/** The preview as the API shows it. */
export const planToApi = (p: MergePlan) => ({
  survivor_id: p.survivor.id,
  merged_id: p.merged.id,
  identities: p.identities.map((i) => ({
    id: i.id,
    kind: i.kind,
    value: i.value,
    primary_after: i.primary_after,
  })),
  orders: p.orders,
  carts: p.carts.map((c) => ({ id: c.id, status: c.status_before, parked_into: c.parked_into })),
  points: { entries: p.points.ids.length, balance: p.points.balance },
  consents: p.consents,
  addresses: p.addresses.map((a) => ({ id: a.id, default_after: a.default_after })),
  sessions_ended: p.sessions.length,
  devices: p.devices,
  profile_filled: p.fill,
});
