import type { WriteBatch } from '../../platform/batch.ts';
import type { Queryable } from '../../platform/db.ts';

export const CART_CHANNEL = 'plaza_cart';

/**
 * SQL announcing a cart's new version to the processes streaming it, for an UPDATE … RETURNING on
 * `carts` (or a CTE over it): NOTIFY only while a stream watches the cart (see watchCart).
 */
const announced = (alias = '') =>
  `CASE WHEN ${alias}watched_until > now() THEN pg_notify('${CART_CHANNEL}', ${alias}id || ':' || ${alias}version) END`;

/**
 * Marks a cart watched by a live stream for the next two minutes (streams renew it every minute).
 * Run before the stream's first read: this update takes the cart row's lock, so a change either
 * committed before it (and the first read sees it) or waits for it and then sees the mark and notifies.
 */
export const watchCart = async (q: Queryable, id: string): Promise<void> => {
  await q.query(
    `UPDATE carts SET watched_until = greatest(watched_until, now() + interval '2 minutes') WHERE id = $1`,
    [id],
  );
};

export type CartStatus = 'active' | 'merged' | 'checked_out';

export interface StoredFulfillment {
  type: 'shipping' | 'pickup';
  address?: Record<string, unknown>;
  location_id?: string;
}

export interface CartRow {
  id: string;
  token_hash: string | null;
  customer_id: string | null;
  origin_channel_id: string;
  status: CartStatus;
  email: string | null;
  fulfillment: StoredFulfillment | null;
  discount_code: string | null;
  version: number;
  merged_into: string | null;
  order_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface LineRow {
  id: string;
  cart_id: string;
  sku: string;
  quantity: number;
  channel_id: string;
  created_at: Date;
  updated_at: Date;
}

const CART = `id, token_hash, customer_id, origin_channel_id, status, email, fulfillment, discount_code, version,
  merged_into, order_id, created_at, updated_at`;
const CART_IN_C = CART.split(',')
  .map((c) => `c.${c.trim()}`)
  .join(', ');
const LINE = 'id, cart_id, sku, quantity, channel_id, created_at, updated_at';

export const getCart = async (q: Queryable, id: string, lock = false): Promise<CartRow | undefined> =>
  (await q.query<CartRow>(`SELECT ${CART} FROM carts WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]))
    .rows[0];

export const cartByTokenHash = async (
  q: Queryable,
  hash: string,
  lock = false,
): Promise<CartRow | undefined> =>
  (
    await q.query<CartRow>(`SELECT ${CART} FROM carts WHERE token_hash = $1 ${lock ? 'FOR UPDATE' : ''}`, [
      hash,
    ])
  ).rows[0];

export const activeCartOf = async (
  q: Queryable,
  customerId: string,
  lock = false,
): Promise<CartRow | undefined> =>
  (
    await q.query<CartRow>(
      `SELECT ${CART} FROM carts WHERE customer_id = $1 AND status = 'active' ${lock ? 'FOR UPDATE' : ''}`,
      [customerId],
    )
  ).rows[0];

export const insertCart = async (
  q: Queryable,
  c: Pick<CartRow, 'id' | 'token_hash' | 'customer_id' | 'origin_channel_id' | 'email' | 'created_at'>,
): Promise<CartRow> =>
  (
    await q.query<CartRow>(
      `INSERT INTO carts (id, token_hash, customer_id, origin_channel_id, status, email, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'active', $5, $6, $6) RETURNING ${CART}`,
      [c.id, c.token_hash, c.customer_id, c.origin_channel_id, c.email, c.created_at],
    )
  ).rows[0] as CartRow;

export const linesOf = async (q: Queryable, cartId: string): Promise<LineRow[]> =>
  (
    await q.query<LineRow>(`SELECT ${LINE} FROM cart_lines WHERE cart_id = $1 ORDER BY created_at, id`, [
      cartId,
    ])
  ).rows;

/** Adds `quantity` to the cart's line of `sku`, creating it if needed. */
export const addToLine = async (
  q: Queryable,
  l: { id: string; cartId: string; sku: string; quantity: number; channelId: string; at: Date },
): Promise<LineRow> =>
  (
    await q.query<LineRow>(
      `INSERT INTO cart_lines (id, cart_id, sku, quantity, channel_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (cart_id, sku) DO UPDATE
         SET quantity = cart_lines.quantity + excluded.quantity, updated_at = excluded.updated_at
       RETURNING ${LINE}`,
      [l.id, l.cartId, l.sku, l.quantity, l.channelId, l.at],
    )
  ).rows[0] as LineRow;

export const setLineQuantity = async (
  q: Queryable,
  cartId: string,
  lineId: string,
  quantity: number,
  at: Date,
) =>
  (
    await q.query<LineRow>(
      `UPDATE cart_lines SET quantity = $3, updated_at = $4 WHERE id = $2 AND cart_id = $1 RETURNING ${LINE}`,
      [cartId, lineId, quantity, at],
    )
  ).rows[0];

export const deleteLine = async (q: Queryable, cartId: string, lineId: string): Promise<boolean> =>
  (await q.query('DELETE FROM cart_lines WHERE id = $2 AND cart_id = $1', [cartId, lineId])).rowCount === 1;

export const deleteLines = (q: Queryable, cartId: string) =>
  q.query('DELETE FROM cart_lines WHERE cart_id = $1', [cartId]);

export type CartPatch = Partial<
  Pick<
    CartRow,
    'email' | 'fulfillment' | 'discount_code' | 'status' | 'merged_into' | 'order_id' | 'customer_id'
  >
>;

/**
 * Applies a change, bumps the version and announces it to every process (streams) on commit.
 * Every cart change goes through here.
 */
export const touchCart = async (q: Queryable, id: string, patch: CartPatch, at: Date): Promise<CartRow> =>
  (await updateCart(q, id, patch, at)) as CartRow;

/**
 * Applies a patch, bumps the version and announces it (NOTIFY, sent on commit) in one statement.
 * With `ifVersion`, only if the cart is still active at that version (optimistic concurrency):
 * undefined means someone else changed it meanwhile.
 */
export const updateCart = async (
  q: Queryable,
  id: string,
  patch: CartPatch,
  at: Date,
  ifVersion?: number,
): Promise<CartRow | undefined> => {
  const sets: string[] = ['version = version + 1', 'updated_at = $2'];
  const params: unknown[] = [id, at];
  for (const [k, v] of Object.entries(patch) as [keyof CartPatch, unknown][]) {
    if (v === undefined) continue;
    params.push(k === 'fulfillment' && v !== null ? JSON.stringify(v) : v);
    sets.push(`${k} = $${params.length}${k === 'fulfillment' ? '::jsonb' : ''}`);
  }
  let guard = '';
  if (ifVersion !== undefined) {
    params.push(ifVersion);
    guard = ` AND version = $${params.length} AND status = 'active'`;
  }
  const { rows } = await q.query<CartRow & { n: unknown }>(
    `UPDATE carts SET ${sets.join(', ')} WHERE id = $1${guard}
     RETURNING ${CART}, ${announced()} AS n`,
    params,
  );
  const row = rows[0];
  if (!row) return undefined;
  const { n: _n, ...cart } = row;
  return cart;
};

const dated = (
  l: Omit<LineRow, 'created_at' | 'updated_at'> & { created_at: string; updated_at: string },
): LineRow => ({
  ...l,
  created_at: new Date(l.created_at),
  updated_at: new Date(l.updated_at),
});

/**
 * A cart with its lines, in one query; with `stockAt`, also the live stock (> 0) at those locations of
 * the cart's SKUs and of `extraSkus` (a SKU being added).
 */
export const cartWithLines = async (
  q: Queryable,
  id: string,
  lock = false,
  stockAt?: { locationIds: readonly string[]; extraSkus: readonly string[] },
): Promise<{ cart: CartRow; lines: LineRow[]; stock: string | null } | undefined> => {
  const { rows } = await q.query<CartRow & { lines: Parameters<typeof dated>[0][]; stock: string | null }>(
    `SELECT ${CART}, coalesce((
       SELECT json_agg(json_build_object('id', l.id, 'cart_id', l.cart_id, 'sku', l.sku, 'quantity', l.quantity,
                'channel_id', l.channel_id, 'created_at', l.created_at, 'updated_at', l.updated_at)
              ORDER BY l.created_at, l.id)
       FROM cart_lines l WHERE l.cart_id = carts.id), '[]') AS lines,
       CASE WHEN $2::text[] IS NULL THEN NULL ELSE (
         SELECT string_agg(s.sku || '|' || s.location_id || '|' || (s.on_hand - s.reserved - s.safety_stock), ',')
         FROM inventory_levels s
         WHERE s.location_id = ANY($2::text[]) AND s.on_hand - s.reserved - s.safety_stock > 0
           AND s.sku IN (SELECT cl.sku FROM cart_lines cl WHERE cl.cart_id = carts.id UNION SELECT unnest($3::text[])))
       END AS stock
     FROM carts WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [id, stockAt ? [...stockAt.locationIds] : null, stockAt ? [...stockAt.extraSkus] : []],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { lines, stock, ...cart } = row;
  return { cart, lines: lines.map(dated), stock };
};

export type LineChange =
  | { kind: 'set'; id: string; sku: string; quantity: number; channelId: string }
  | { kind: 'remove'; id: string };

/**
 * Applies one line change only if the cart is still active at `version`, bumping the version and
 * announcing it, in ONE statement (optimistic concurrency, no transaction needed). Returns the new
 * cart row, or undefined when the cart changed meanwhile (the caller reads again and retries).
 */
export const writeLineIfVersion = async (
  q: Queryable,
  cartId: string,
  version: number,
  change: LineChange,
  at: Date,
): Promise<CartRow | undefined> => {
  const set = change.kind === 'set' ? change : null;
  const { rows } = await q.query<CartRow>(
    `WITH c AS (
       UPDATE carts SET version = version + 1, updated_at = $3
       WHERE id = $1 AND version = $2 AND status = 'active' RETURNING ${CART}, watched_until),
     up AS (
       INSERT INTO cart_lines (id, cart_id, sku, quantity, channel_id, created_at, updated_at)
       SELECT $4, c.id, $5, $6, $7, $3, $3 FROM c WHERE $5::text IS NOT NULL
       ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at
       RETURNING 1),
     del AS (
       DELETE FROM cart_lines WHERE $5::text IS NULL AND id = $4 AND cart_id IN (SELECT id FROM c) RETURNING 1),
     n AS (SELECT ${announced('c.')} FROM c)
     SELECT ${CART_IN_C}, (SELECT count(*) FROM n) AS notified FROM c`,
    [cartId, version, at, change.id, set?.sku ?? null, set?.quantity ?? null, set?.channelId ?? null],
  );
  const row = rows[0] as (CartRow & { notified?: number }) | undefined;
  if (!row) return undefined;
  const { notified: _n, ...cart } = row;
  return cart;
};

/** Creates a cart with its first lines in one statement. */
export const insertCartWithLines = async (
  q: Queryable,
  c: Pick<CartRow, 'id' | 'token_hash' | 'customer_id' | 'origin_channel_id' | 'email' | 'created_at'> & {
    anonymous_id: string | null;
  },
  lines: { id: string; sku: string; quantity: number; channelId: string }[],
): Promise<CartRow> =>
  (
    await q.query<CartRow>(
      `WITH c AS (
         INSERT INTO carts (id, token_hash, customer_id, origin_channel_id, status, email, created_at, updated_at,
           anonymous_id)
         VALUES ($1, $2, $3, $4, 'active', $5, $6, $6, $11) RETURNING ${CART}),
       l AS (
         INSERT INTO cart_lines (id, cart_id, sku, quantity, channel_id, created_at, updated_at)
         SELECT x.id, c.id, x.sku, x.quantity, x.channel_id, $6, $6
         FROM c, unnest($7::text[], $8::text[], $9::int[], $10::text[]) AS x(id, sku, quantity, channel_id)
         RETURNING 1)
       SELECT c.*, (SELECT count(*) FROM l) AS line_count FROM c`,
      [
        c.id,
        c.token_hash,
        c.customer_id,
        c.origin_channel_id,
        c.email,
        c.created_at,
        lines.map((l) => l.id),
        lines.map((l) => l.sku),
        lines.map((l) => l.quantity),
        lines.map((l) => l.channelId),
        c.anonymous_id,
      ],
    )
  ).rows.map(({ line_count: _l, ...cart }: CartRow & { line_count?: number }) => cart)[0] as CartRow;

/** Marks an active cart checked out (with its order) in a write batch, announcing the change on commit. */
export const stageCheckedOut = (batch: WriteBatch, cartId: string, orderId: string, at: Date): string =>
  batch.add(
    `UPDATE carts SET status = 'checked_out', order_id = $2, version = version + 1, updated_at = $3
     WHERE id = $1 AND status = 'active'
     RETURNING id, version, ${announced()}`,
    [cartId, orderId, at],
  );

/**
 * Puts a checked-out cart back in use (its order was cancelled by the shopper before payment), unless
 * the customer already has another active cart. Announced to open streams. Returns whether it did.
 */
export const reopenCart = async (q: Queryable, cartId: string, at: Date): Promise<boolean> =>
  (
    await q.query(
      `UPDATE carts SET status = 'active', order_id = NULL, version = version + 1, updated_at = $2
       WHERE id = $1 AND status = 'checked_out'
         AND NOT EXISTS (SELECT 1 FROM carts o WHERE o.customer_id = carts.customer_id AND o.status = 'active')
       RETURNING id, ${announced()}`,
      [cartId, at],
    )
  ).rowCount === 1;
