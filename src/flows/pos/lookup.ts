/**
 * Finding a customer at the counter: by phone (any common format), email or loyalty card number,
 * through the customer's identities (issue 6), so a merged profile answers with the surviving one
 * and an erased one is never found.
 */
import { type CustomerRow, findCustomerByIdentity } from '../../modules/customers/index.ts';
import type { Queryable } from '../../platform/db.ts';

export interface CustomerLookup {
  phone?: string;
  email?: string;
  card?: string;
}

/** The customer matching what the customer told or showed the staff member (none or one). */
export const lookupCustomers = async (
  q: Queryable,
  by: CustomerLookup,
  defaultCountry = 'US',
): Promise<CustomerRow[]> => {
  const value = by.card ?? by.phone ?? by.email;
  if (!value) return [];
  const match = await findCustomerByIdentity(q, value, defaultCountry);
  return match ? [match.customer] : [];
};
