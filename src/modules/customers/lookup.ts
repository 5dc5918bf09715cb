/**
 * Finding a customer from whatever the shopper offers at a counter or on the phone: an email, a
 * phone number in any common format, a loyalty card number (with or without spaces and dashes), an
 * external id, an anonymous id, or a customer id.
 */
import type { Queryable } from '../../platform/db.ts';
import { findLiveIdentities, type IdentityKind, normalizeIdentity } from './identities.ts';
import { type CustomerRow, getCustomer } from './repo.ts';

/** The identities a free-text value could be, most specific first. */
export const identityCandidates = (
  value: string,
  defaultCountry: string,
): { kind: IdentityKind; value: string }[] => {
  const out: { kind: IdentityKind; value: string }[] = [];
  const add = (kind: IdentityKind) => {
    const v = normalizeIdentity(kind, value, defaultCountry);
    if (v !== null && !out.some((c) => c.kind === kind && c.value === v)) out.push({ kind, value: v });
  };
  if (value.includes('@')) add('email');
  add('loyalty_card');
  add('phone');
  add('external');
  add('anonymous');
  return out;
};

export interface IdentityMatch {
  customer: CustomerRow;
  matched: { kind: IdentityKind | 'id'; value: string };
}

/** Follows merges to the profile that holds a merged customer's data now. */
export const survivorOf = async (q: Queryable, c: CustomerRow): Promise<CustomerRow> => {
  let current = c;
  for (let hops = 0; current.status === 'merged' && current.merged_into && hops < 20; hops++) {
    const next = await getCustomer(q, current.merged_into);
    if (!next) break;
    current = next;
  }
  return current;
};

/**
 * The customer a value identifies, or undefined. Candidates are tried most specific first (email,
 * loyalty card, phone, external id, anonymous id); erased customers are never found (their
 * identities are gone). `defaultCountry` reads phone numbers written without a country code.
 */
export const findCustomerByIdentity = async (
  q: Queryable,
  value: string,
  defaultCountry = 'US',
): Promise<IdentityMatch | undefined> => {
  const v = value.trim();
  if (/^cus_[0-9A-HJKMNP-TV-Z]{26}$/.test(v)) {
    const c = await getCustomer(q, v);
    return c && c.status !== 'erased'
      ? { customer: await survivorOf(q, c), matched: { kind: 'id', value: v } }
      : undefined;
  }
  const candidates = identityCandidates(v, defaultCountry);
  const found = await findLiveIdentities(q, candidates);
  for (const c of candidates) {
    const hit = found.find((f) => f.kind === c.kind && f.value === c.value);
    if (!hit) continue;
    const customer = await getCustomer(q, hit.customer_id);
    if (customer && customer.status !== 'erased') {
      return { customer: await survivorOf(q, customer), matched: { kind: hit.kind, value: hit.value } };
    }
  }
  return undefined;
};
