/**
 * Set-based reads for audiences and messaging (issue 12): what the gate of a campaign needs to know
 * about many customers at once, in one query (erased, merged, restricted, addresses).
 */
import type { Queryable } from '../../platform/db.ts';
import type { CustomerStatus } from './repo.ts';

export interface ContactProfile {
  id: string;
  status: CustomerStatus;
  mergedInto: string | null;
  /** processing is restricted (GDPR art. 18): no marketing, no profiling (RESTRICTION_MATRIX) */
  restricted: boolean;
  email: string | null;
  phone: string | null;
  preferredLocationId: string | null;
}

/** The contact profile of each customer found (unknown ids are absent from the map). */
export const contactProfiles = async (
  q: Queryable,
  customerIds: readonly string[],
): Promise<Map<string, ContactProfile>> => {
  const out = new Map<string, ContactProfile>();
  if (customerIds.length === 0) return out;
  const r = await q.query<{
    id: string;
    status: CustomerStatus;
    merged_into: string | null;
    restricted: boolean;
    email: string | null;
    phone: string | null;
    preferred_location_id: string | null;
  }>(
    `SELECT id, status, merged_into, processing_restricted_at IS NOT NULL AS restricted, email, phone,
       preferred_location_id
     FROM customers WHERE id = ANY($1::text[])`,
    [customerIds],
  );
  for (const c of r.rows)
    out.set(c.id, {
      id: c.id,
      status: c.status,
      mergedInto: c.merged_into,
      restricted: c.restricted,
      email: c.email,
      phone: c.phone,
      preferredLocationId: c.preferred_location_id,
    });
  return out;
};

/** Which of these keyed hashes (suppressionHash) are on the erasure suppression list. */
export const suppressedAmong = async (q: Queryable, hashes: readonly string[]): Promise<Set<string>> => {
  if (hashes.length === 0) return new Set();
  const r = await q.query<{ hash: string }>(
    'SELECT hash FROM privacy_suppressions WHERE hash = ANY($1::text[])',
    [hashes],
  );
  return new Set(r.rows.map((x) => x.hash));
};
