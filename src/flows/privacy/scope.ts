/**
 * Who "the person" is for a data request: the customer and every profile merged into them, their
 * orders and carts, and their guest history — guest orders and carts placed with one of their
 * verified e-mails or phones, and the anonymous carts of their devices.
 */
import { cartsOfCustomers, guestCartIdsOf } from '../../modules/carts/index.ts';
import { identitiesOf, loginThrottleHash, withMergedAliases } from '../../modules/customers/index.ts';
import { type GuestOrderRow, guestOrdersOf, ordersOfCustomers } from '../../modules/orders/index.ts';
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import type { PersonScope } from '../../platform/personal-data.ts';

export interface Person extends PersonScope {
  /** Guest orders and carts found through verified contacts (not linked to a customer). */
  guest: { orders: GuestOrderRow[]; cartIds: string[] };
  /** Every order (own and guest) with its status, to refuse erasure while one is open. */
  orders: { id: string; status: string }[];
}

const uniq = (xs: readonly (string | null | undefined)[]): string[] =>
  [...new Set(xs.filter((x): x is string => typeof x === 'string'))].sort();

/** The verified e-mails and phones of these customers (the contacts that tie guest history to them). */
export const verifiedContacts = async (q: Queryable, customerIds: readonly string[]) => {
  const identities = await identitiesOf(q, customerIds, { includeUnlinked: true });
  const verified = identities.filter((i) => i.verified);
  return {
    emails: uniq(verified.filter((i) => i.kind === 'email').map((i) => i.value.toLowerCase())),
    phones: uniq(verified.filter((i) => i.kind === 'phone').map((i) => i.value)),
    emailsAll: uniq(identities.filter((i) => i.kind === 'email').map((i) => i.value.toLowerCase())),
    devices: uniq(identities.filter((i) => i.kind === 'anonymous').map((i) => i.value)),
  };
};

export const personOf = async (
  q: Queryable,
  deps: Pick<Deps, 'config'>,
  customerId: string,
): Promise<Person> => {
  const customerIds = (await withMergedAliases(q, customerId)).sort();
  const contacts = await verifiedContacts(q, customerIds);
  const own = await ordersOfCustomers(q, customerIds);
  const guestOrders = await guestOrdersOf(q, contacts);
  const guestCarts = await guestCartIdsOf(q, contacts.emails);
  const carts = await cartsOfCustomers(q, customerIds, contacts.devices);
  return {
    customerIds,
    orderIds: uniq([...own.map((o) => o.id), ...guestOrders.map((o) => o.id)]),
    cartIds: uniq([
      ...carts.map((c) => c.id),
      ...guestCarts,
      ...own.map((o) => o.cart_id),
      ...guestOrders.map((o) => o.cart_id),
    ]),
    emailHashes: contacts.emailsAll.map((e) => loginThrottleHash(deps, e)),
    guest: { orders: guestOrders, cartIds: guestCarts },
    orders: [...own, ...guestOrders].map((o) => ({ id: o.id, status: o.status })),
  };
};
