/** A customer's address book, with at most one default shipping address. */
import { type Static, type TOptional, type TSchema, Type } from '@sinclair/typebox';
import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { Name, Nullable, Obj, Str, Timestamp } from '../../platform/http/schemas.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { writeEvent } from '../../platform/outbox/events.ts';

export interface AddressRow {
  id: string;
  customer_id: string;
  name: string | null;
  company: string | null;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postal_code: string | null;
  country: string;
  phone: string | null;
  is_default_shipping: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLS = `id, customer_id, name, company, line1, line2, city, region, postal_code, country, phone,
  is_default_shipping, created_at, updated_at`;

const fields = {
  name: Nullable(Name(200)),
  company: Nullable(Name(200)),
  line1: Name(200),
  line2: Nullable(Str({ max: 200 })),
  city: Name(100),
  region: Nullable(Str({ max: 100 })),
  postal_code: Nullable(Str({ max: 20 })),
  country: Str({ min: 2, max: 2, pattern: '^[A-Za-z]{2}$', description: 'ISO 3166 alpha-2' }),
  phone: Nullable(Str({ max: 32 })),
  is_default_shipping: Type.Boolean(),
};
const optional = <T extends Record<string, TSchema>>(o: T) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Type.Optional(v)])) as {
    [K in keyof T]: TOptional<T[K]>;
  };

export const AddressInput = Obj({
  ...optional(fields),
  line1: fields.line1,
  city: fields.city,
  country: fields.country,
});
export type AddressInput = Static<typeof AddressInput>;
export const AddressPatch = Obj(optional(fields), { minProperties: 1 });
export type AddressPatch = Static<typeof AddressPatch>;

export const Address = Type.Object(
  {
    id: Type.String(),
    name: Nullable(Type.String()),
    company: Nullable(Type.String()),
    line1: Type.String(),
    line2: Nullable(Type.String()),
    city: Type.String(),
    region: Nullable(Type.String()),
    postal_code: Nullable(Type.String()),
    country: Type.String(),
    phone: Nullable(Type.String()),
    is_default_shipping: Type.Boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'CustomerAddress' },
);

export const addressToApi = ({ customer_id: _c, ...r }: AddressRow): Static<typeof Address> => ({
  ...r,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

export const addressesOf = async (q: Queryable, customerIds: readonly string[]): Promise<AddressRow[]> =>
  (
    await q.query<AddressRow>(
      `SELECT ${COLS} FROM customer_addresses WHERE customer_id = ANY($1) ORDER BY customer_id, created_at, id`,
      [customerIds],
    )
  ).rows;

const ownAddress = async (q: Queryable, customerId: string, id: string): Promise<AddressRow> => {
  const row = (
    await q.query<AddressRow>(`SELECT ${COLS} FROM customer_addresses WHERE id = $1 AND customer_id = $2`, [
      id,
      customerId,
    ])
  ).rows[0];
  if (!row) throw notFound('Address', id);
  return row;
};

/**
 * Serialises the address-book changes of one customer: two requests at once cannot both see "no
 * default yet" (or both clear the old default) and collide on the one-default index.
 */
const lockBook = (tx: Tx, customerId: string) =>
  tx.query('SELECT id FROM customers WHERE id = $1 FOR NO KEY UPDATE', [customerId]);

const clearDefault = (tx: Tx, customerId: string) =>
  tx.query(
    'UPDATE customer_addresses SET is_default_shipping = false WHERE customer_id = $1 AND is_default_shipping',
    [customerId],
  );

const event = (tx: Tx, deps: Pick<Deps, 'clock'>, type: string, row: AddressRow) =>
  writeEvent(tx, deps.clock, {
    type,
    aggregateType: 'customer',
    aggregateId: row.customer_id,
    data: { customer_id: row.customer_id, address_id: row.id },
  });

/** Adds an address; the first one (or one marked so) becomes the default shipping address. */
export const addAddress = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  customerId: string,
  a: AddressInput,
): Promise<AddressRow> => {
  await lockBook(tx, customerId);
  const now = deps.clock.now();
  const hasAny = (await addressesOf(tx, [customerId])).length > 0;
  const makeDefault = a.is_default_shipping ?? !hasAny;
  if (makeDefault) await clearDefault(tx, customerId);
  const { rows } = await tx.query<AddressRow>(
    `INSERT INTO customer_addresses (id, customer_id, name, company, line1, line2, city, region, postal_code,
       country, phone, is_default_shipping, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING ${COLS}`,
    [
      newId('adr'),
      customerId,
      a.name ?? null,
      a.company ?? null,
      a.line1,
      a.line2 ?? null,
      a.city,
      a.region ?? null,
      a.postal_code ?? null,
      a.country.toUpperCase(),
      a.phone ?? null,
      makeDefault,
      now,
    ],
  );
  const row = rows[0] as AddressRow;
  await event(tx, deps, 'customer.address_added', row);
  return row;
};

export const updateAddress = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  customerId: string,
  id: string,
  p: AddressPatch,
): Promise<AddressRow> => {
  if (p.is_default_shipping) await lockBook(tx, customerId);
  await ownAddress(tx, customerId, id);
  if (p.is_default_shipping) await clearDefault(tx, customerId);
  const sets = ['updated_at = $3'];
  const params: unknown[] = [id, customerId, deps.clock.now()];
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    params.push(k === 'country' && typeof v === 'string' ? v.toUpperCase() : v);
    sets.push(`${k} = $${params.length}`);
  }
  const { rows } = await tx.query<AddressRow>(
    `UPDATE customer_addresses SET ${sets.join(', ')} WHERE id = $1 AND customer_id = $2 RETURNING ${COLS}`,
    params,
  );
  const row = rows[0] as AddressRow;
  await event(tx, deps, 'customer.address_updated', row);
  return row;
};

export const deleteAddress = async (
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  customerId: string,
  id: string,
): Promise<void> => {
  const row = await ownAddress(tx, customerId, id);
  await tx.query('DELETE FROM customer_addresses WHERE id = $1', [id]);
  await event(tx, deps, 'customer.address_removed', row);
};
