/** The guest carts of a person for data rights: carts without a customer that carry one of their verified e-mails. */
import type { Queryable } from '../../platform/db.ts';

export const guestCartIdsOf = async (q: Queryable, emails: readonly string[]): Promise<string[]> =>
  emails.length === 0
    ? []
    : (
        await q.query<{ id: string }>(
          'SELECT id FROM carts WHERE customer_id IS NULL AND lower(email) = ANY($1::text[]) ORDER BY id',
          [emails.map((e) => e.toLowerCase())],
        )
      ).rows.map((r) => r.id);
