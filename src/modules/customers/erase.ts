/**
 * Erasure of a customer record: the emails and phones go on the suppression list (keyed hashes),
 * identities and addresses are deleted, sessions end, and the row keeps only its id, dates and
 * status `erased` — orders elsewhere keep pointing at it, so accounting stays whole.
 */
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { type IdentityRow, identitiesOf } from './identities.ts';
import { getCustomerForUpdate, updateCustomer } from './repo.ts';
import { loginThrottleHash, suppress } from './suppression.ts';

export interface ErasedRecord {
  suppressed: number;
  identities: number;
  addresses: number;
  sessions: number;
  /** Device ids the customer had (their anonymous carts are scrubbed by the caller). */
  devices: string[];
}

export const eraseCustomerRecord = async (
  tx: Tx,
  deps: Pick<Deps, 'clock' | 'config'>,
  id: string,
): Promise<ErasedRecord> => {
  const now = deps.clock.now();
  const c = await getCustomerForUpdate(tx, id);
  if (!c) throw new Error(`customer ${id} vanished during erasure`);
  const ids: IdentityRow[] = await identitiesOf(tx, [id], { includeUnlinked: true });
  const contact = new Set<string>();
  for (const i of ids) if (i.kind === 'email' || i.kind === 'phone') contact.add(`${i.kind}:${i.value}`);
  if (c.email) contact.add(`email:${c.email}`);
  if (c.phone) contact.add(`phone:${c.phone}`);
  for (const k of contact) {
    const [kind, ...rest] = k.split(':');
    await suppress(tx, deps, kind as 'email' | 'phone', rest.join(':'));
  }
  if (c.email)
    await tx.query('DELETE FROM auth_failures WHERE email_hash = $1', [loginThrottleHash(deps, c.email)]);
  const identities = (await tx.query('DELETE FROM customer_identities WHERE customer_id = $1', [id]))
    .rowCount;
  const addresses = (await tx.query('DELETE FROM customer_addresses WHERE customer_id = $1', [id])).rowCount;
  const sessions = (
    await tx.query(
      `UPDATE customer_sessions SET revoked_at = coalesce(revoked_at, $2), anonymous_id = NULL WHERE customer_id = $1`,
      [id, now],
    )
  ).rowCount;
  await updateCustomer(
    tx,
    id,
    {
      email: null,
      password_hash: null,
      first_name: null,
      last_name: null,
      phone: null,
      birthday: null,
      language: null,
      preferred_location_id: null,
      status: 'erased',
      merged_into: null,
      processing_restricted_at: null,
      erased_at: now,
    },
    now,
  );
  return {
    suppressed: contact.size,
    identities,
    addresses,
    sessions,
    devices: ids.filter((i) => i.kind === 'anonymous').map((i) => i.value),
  };
};
