/**
 * The world the authorization matrix runs in, built once: a shop with channels A and B and stores S and
 * T, guests of A and B with an open cart and an order, customers X and Y with their own carts, orders,
 * addresses and more, staff of S (a session) and of T (a token), a manager, an owner, the admin token,
 * a revoked key, an expired session, a revoked customer token, and a second shop (Z) that staff and
 * admins act on so that their allowed writes disturb no one else.
 */
import { createToken } from '../../src/modules/access/index.ts';
import { TEST_CARDS } from '../../src/modules/payments/index.ts';
import { type Browser, PASSWORD, staffUser } from '../../src/modules/staff/test-support.ts';
import type { TestApp } from '../support/app.ts';
import { createFixture, sample } from '../support/hostile.ts';
import { createShop, type Shop } from '../support/shop.ts';
import { stock } from '../support/stock.ts';
import { addPosChannel, placeOrder } from '../support/stores.ts';
import type { Party, PrincipalName } from './matrix.ts';
import { type AuthzOp, operationsOf } from './operations.ts';

/** What a principal holds and sends with every request. */
export interface Credentials {
  key?: string;
  bearer?: string;
  cookie?: string;
  csrf?: string;
  cartToken?: string;
  orderToken?: string;
  /** A channel's event write key, sent as HTTP Basic on /v1. */
  writeKey?: string;
}

/** A party's resources: real ids by prefix (`ord`, `cart`, `loc` …) and the text that identifies it. */
export interface PartyData {
  ids: Map<string, string>;
  /** E-mail addresses, names and order ids that must never reach another party. */
  identity: string[];
  /**
   * Its store locations: a refusal may name them (what a transfer connects), an answer to another
   * store's staff may not (their lists are their own).
   */
  places: string[];
}

export interface World {
  t: TestApp;
  shop: Shop;
  ops: AuthzOp[];
  parties: Record<Party, PartyData>;
  principals: Record<PrincipalName, Credentials>;
  /** A new principal of the same kind (for destructive calls): customers, staff sessions and tokens. */
  fresh(p: PrincipalName): Promise<Credentials>;
}

const ok = <T>(r: { status: number; body: T; text?: string }, what: string): T => {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

const ID = /^([a-z]+)_[0-9A-Z]{26}$/;

/** Adds every prefixed id found in `value` that the map does not hold yet. */
export const harvest = (ids: Map<string, string>, value: unknown): void => {
  if (typeof value === 'string') {
    const m = ID.exec(value);
    if (m?.[1] && !ids.has(m[1])) ids.set(m[1], value);
  } else if (Array.isArray(value)) for (const v of value) harvest(ids, v);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) harvest(ids, v);
};

/** The key under which a party's map holds a real SKU (`sku` fields and path parameters take it). */
export const SKU = '@sku';
/** The key of a location other than the party's own (where its transfers go). */
export const ELSEWHERE = '@elsewhere';
/** The key of the reference of a party's loyalty redemption. */
const REFERENCE = '@reference';

/** Values a schema sample gets wrong, by field name: what a real client would send. */
const REAL_FIELDS: Record<string, (ids: Map<string, string>) => unknown> = {
  sku: (ids) => ids.get(SKU),
  to_location_id: (ids) => ids.get(ELSEWHERE),
  country: () => 'US',
  card_number: () => TEST_CARDS.approve,
  phone: () => '+1 503 555 0100',
  reference: (ids) => ids.get(REFERENCE),
};

/** A sampled value with the REAL_FIELDS set (a sample's `xxx` names no SKU, no country). */
export const realize = (value: unknown, ids: Map<string, string>): unknown => {
  if (Array.isArray(value)) return value.map((v) => realize(v, ids));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const real = typeof v === 'string' ? REAL_FIELDS[k]?.(ids) : undefined;
      return [k, real ?? realize(v, ids)];
    }),
  );
};

const tag = `${process.pid}${Date.now().toString(36)}`;
let made = 0;
const unique = (who: string) => `authz-${who.toLowerCase()}-${++made}-${tag}`;

/** Registers and logs in a customer on a channel; returns the token, id and e-mail. */
const customer = async (t: TestApp, key: string, who: string) => {
  const email = `${unique(who)}@example.com`;
  const names = { first_name: `First${who}${tag}`, last_name: `Last${who}${tag}` };
  const reg = ok(
    await t.call<{ id: string }>('POST', '/store/customers', {
      key,
      body: { email, password: PASSWORD, ...names },
    }),
    'register',
  );
  const login = ok(
    await t.call<{ token: string }>('POST', '/store/auth/token', {
      key,
      body: { email, password: PASSWORD },
    }),
    'login',
  );
  return { token: login.token, id: reg.id, identity: [email, names.first_name, names.last_name] };
};

/** Calls a creating operation of the document with a sampled body and collects the ids of its answer. */
const create = async (
  w: { t: TestApp; ops: AuthzOp[] },
  [id, extra]: Creation,
  as: Credentials,
  ids: Map<string, string>,
) => {
  const op = w.ops.find((o) => o.operationId === id);
  if (!op) throw new Error(`no operation ${id}`);
  const sampled = realize(sample(op.body, ids, false), ids);
  const r = await w.t.call(op.method, op.path, {
    body: { ...(sampled && typeof sampled === 'object' ? sampled : {}), ...extra?.() },
    headers: headersOf(as, op.path),
  });
  if (r.status < 300) harvest(ids, r.body);
  return r;
};

/** The headers a principal sends on `path`: all it holds; on /v1 its write key as HTTP Basic. */
export const headersOf = (c: Credentials, path: string): Record<string, string> => {
  const h: Record<string, string> = {};
  if (c.key) h['x-plaza-channel-key'] = c.key;
  if (c.cartToken) h['x-plaza-cart-token'] = c.cartToken;
  if (c.orderToken) h['x-plaza-order-token'] = c.orderToken;
  if (c.cookie) h.cookie = `plaza_session=${c.cookie}`;
  if (c.csrf) h['x-plaza-csrf'] = c.csrf;
  if (c.bearer) h.authorization = `Bearer ${c.bearer}`;
  if (path.startsWith('/v1/') && c.writeKey)
    h.authorization = `Basic ${Buffer.from(`${c.writeKey}:`).toString('base64')}`;
  return h;
};

const browser = (b: Browser): Credentials => ({ cookie: b.cookie, csrf: b.csrf });

/** An operation that creates something, and what its body needs beyond a sample (unique values). */
type Creation = readonly [string, (() => Record<string, unknown>)?];

const device: Creation = ['createPushDevice', () => ({ token: `fcm-${unique('device')}` })];
const subscription: Creation = [
  'createPushSubscription',
  () => ({
    endpoint: `https://push.example.com/${unique('sub')}`,
    keys: { p256dh: 'BPcMbnWQL5GOYX-5eHkLCLbAsPXFmNfcjyGPbjbeE8Mk', auth: 'k8JV6sjdbhAi1n3_LDBLvA' },
  }),
];

/** What a guest creates besides carts and orders. */
const GUEST_CREATES: readonly Creation[] = [device, subscription];

/** A guest of a channel: an order (with its token), an open cart (with its token), GUEST_CREATES. */
const guest = async (w: { t: TestApp; ops: AuthzOp[] }, shop: Shop, key: string, who: string) => {
  const { t } = w;
  const email = `${unique(who)}@example.com`;
  const ids = new Map<string, string>();
  const { order, orderToken } = await placeOrder(t, key, [{ sku: shop.skus.tee, quantity: 1 }], {
    email,
    pay: 'test-card',
  });
  const cart = ok(
    await t.call<{ cart: { id: string }; cart_token: string }>('POST', '/store/carts', {
      key,
      body: { items: [{ sku: shop.skus.hoodie, quantity: 1 }] },
    }),
    'guest cart',
  );
  ids.set('cart', cart.cart.id);
  harvest(ids, cart);
  harvest(ids, order);
  const creds: Credentials = { key, cartToken: cart.cart_token, orderToken: orderToken ?? undefined };
  for (const c of GUEST_CREATES) await create(w, c, creds, ids);
  return { data: { ids, identity: [email, order.id], places: [] }, creds };
};

/** What a shopper creates besides carts and orders: addresses, stock watches, devices, requests. */
const SHOPPER_CREATES: readonly Creation[] = [
  ['addCurrentCustomerAddress'],
  ['createStockWatch'],
  device,
  subscription,
  ['createStorePrivacyRequest'],
];

/** A registered customer of channel A with an order, an open cart and the SHOPPER_CREATES. */
const registered = async (w: { t: TestApp; ops: AuthzOp[] }, shop: Shop, who: string) => {
  const { t } = w;
  const c = await customer(t, shop.web.key, who);
  const creds: Credentials = { key: shop.web.key, bearer: c.token };
  const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], {
    customerToken: c.token,
    pay: 'test-card',
  });
  const ids = new Map<string, string>([['cus', c.id]]);
  const cart = ok(
    await t.call<{ cart: { id: string } }>('POST', '/store/carts', {
      key: shop.web.key,
      token: c.token,
      body: { items: [{ sku: shop.skus.hoodie, quantity: 1 }] },
    }),
    'customer cart',
  );
  ids.set('cart', cart.cart.id);
  harvest(ids, cart);
  harvest(ids, order);
  for (const c of SHOPPER_CREATES) await create(w, c, creds, ids);
  return { data: { ids, identity: [...c.identity, order.id], places: [] }, creds };
};

/** Things of a store, made with the admin token: a transfer out, a purchase order in, a POS sale. */
const storeCreates: readonly Creation[] = [
  ['createAdminTransfer'],
  ['createAdminPurchaseOrder'],
  ['createAdminPosSale'],
];

/**
 * A store's pickup order (a guest of channel A) and what the pickup brings along, a POS channel of the
 * store, and what storeCreates makes.
 */
const store = async (
  w: { t: TestApp; ops: AuthzOp[] },
  shop: Shop,
  locationId: string,
  supplierId: string,
  who: string,
) => {
  const { t } = w;
  const email = `${unique(who)}@example.com`;
  await stock(t, shop.skus.tee, locationId, 10);
  const { order } = await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], {
    pickupAt: locationId,
    email,
  });
  const pos = await addPosChannel(t, locationId, { [shop.skus.tee]: shop.price.tee });
  const ids = new Map<string, string>([
    ['loc', locationId],
    ['chn', pos.id],
    ['sup', supplierId],
    [SKU, shop.skus.tee],
    [ELSEWHERE, shop.warehouse],
  ]);
  harvest(ids, order);
  harvest(ids, (await t.admin('GET', `/orders/${order.id}/pickup`)).body);
  const admin: Credentials = { bearer: t.adminToken };
  for (const c of storeCreates) ok(await create(w, c, admin, ids), c[0]);
  // a loyalty redemption at the store, by a member who shops there
  const member = `${unique(`member-${who}`)}@example.com`;
  const cus = ok(
    await t.admin<{ id: string }>('POST', '/customers', { email: member, source: 'pos' }),
    'member',
  ).id;
  ok(await t.admin('POST', `/customers/${cus}/loyalty/enroll`), 'enroll');
  ok(
    await t.admin('POST', `/customers/${cus}/loyalty/adjustments`, { points: 500, note: 'authz' }),
    'points',
  );
  const reference = unique(`redeem-${who}`);
  const redemption = { customer_id: cus, points: 100, reference, location_id: locationId };
  ok(await t.admin('POST', '/loyalty/redemptions', redemption), 'redeem');
  ids.set(REFERENCE, reference);
  return { ids, identity: [email, order.id, member], places: [locationId] };
};

/** Builds the world (about a hundred requests). */
export const buildWorld = async (t: TestApp): Promise<World> => {
  const shop = await createShop(t, { stockTee: 200 });
  const ops = await operationsOf(t);
  const w = { t, ops };
  const neutral = new Map<string, string>([
    [SKU, shop.skus.tee],
    [ELSEWHERE, shop.warehouse],
  ]);
  harvest(neutral, shop);
  harvest(neutral, (await t.admin('GET', '/products')).body);
  const withNeutral = (own: Map<string, string>) => new Map([...neutral, ...own]);

  const guestA = await guest(w, shop, shop.web.key, 'A');
  const guestB = await guest(w, shop, shop.app.key, 'B');
  const custX = await registered(w, shop, 'X');
  const custY = await registered(w, shop, 'Y');
  const supplier = ok(
    await t.admin<{ id: string }>('POST', '/suppliers', { name: `Authz supplier ${tag}` }),
    'supplier',
  );
  const storeS = await store(w, shop, shop.storeA, supplier.id, 'S');
  const storeT = await store(w, shop, shop.storeB, supplier.id, 'T');

  const z = await createFixture(t);
  const zIds = new Map([...z.real, [SKU, z.shop.skus.tee], [ELSEWHERE, z.shop.warehouse]]);
  const scratchToken = await t.deps.db.tx((tx) =>
    createToken(tx, t.deps, { name: 'authz scratch', scope: 'admin', createdBy: 'test' }),
  );
  zIds.set('tok', scratchToken.row.id);
  const scratchStaff = await staffUser(t, 'staff', [z.shop.storeA]);
  zIds.set('usr', scratchStaff.userId);

  const staffS = await staffUser(t, 'staff', [shop.storeA]);
  const manager = await staffUser(t, 'manager');
  const owner = await staffUser(t, 'owner');
  const expired = await staffUser(t, 'owner');
  await t.deps.db.query(`UPDATE staff_sessions SET expires_at = $2 WHERE user_id = $1`, [
    expired.userId,
    new Date(t.clock.now().getTime() - 1000),
  ]);
  const revoked = ok(
    await t.admin<{ id: string; key: string }>('POST', `/channels/${shop.web.id}/keys`, { name: 'revoked' }),
    'key',
  );
  ok(await t.admin('DELETE', `/channels/${shop.web.id}/keys/${revoked.id}`), 'revoke key');
  const gone = await customer(t, shop.web.key, 'R');
  ok(await t.call('DELETE', '/store/auth/token', { key: shop.web.key, token: gone.token }), 'log out');

  /** A web event source of the channel and a write key of it. */
  const writeKey = async (channelId: string) => {
    const source = { name: `Authz web ${channelId}`, kind: 'web', channel_id: channelId };
    const { id } = ok(await t.admin<{ id: string }>('POST', '/event-sources', source), 'event source');
    return ok(await t.admin<{ key: string }>('POST', `/event-sources/${id}/write-keys`, {}), 'write key').key;
  };
  const wkA = await writeKey(shop.web.id);
  const wkB = await writeKey(shop.app.id);

  const parties: Record<Party, PartyData> = {
    A: { ...guestA.data, ids: withNeutral(guestA.data.ids) },
    B: { ...guestB.data, ids: withNeutral(guestB.data.ids) },
    X: { ...custX.data, ids: withNeutral(custX.data.ids) },
    Y: { ...custY.data, ids: withNeutral(custY.data.ids) },
    S: { ...storeS, ids: withNeutral(storeS.ids) },
    T: { ...storeT, ids: withNeutral(storeT.ids) },
    N: { ids: neutral, identity: [], places: [] },
    Z: { ids: zIds, identity: [], places: [] },
  };
  const principals: Record<PrincipalName, Credentials> = {
    anonymous: {},
    channelA: { ...guestA.creds, writeKey: wkA },
    channelB: { ...guestB.creds, writeKey: wkB },
    customerX: { ...custX.creds, writeKey: wkA },
    customerY: { ...custY.creds, writeKey: wkA },
    staffS: browser(staffS),
    staffT: { bearer: await t.staff([shop.storeB]) },
    manager: browser(manager),
    owner: browser(owner),
    admin: { bearer: t.adminToken },
    revokedKey: { key: revoked.key, writeKey: revoked.key },
    expiredSession: browser(expired),
    revokedCustomer: { key: shop.web.key, bearer: gone.token },
  };

  const fresh = async (p: PrincipalName): Promise<Credentials> => {
    const base = principals[p];
    if (p === 'customerX' || p === 'customerY') {
      const c = await customer(t, shop.web.key, `fresh-${p}`);
      return { ...base, bearer: c.token };
    }
    if (p === 'staffS') return browser(await staffUser(t, 'staff', [shop.storeA]));
    if (p === 'manager' || p === 'owner') return browser(await staffUser(t, p));
    if (p === 'staffT') return { bearer: await t.staff([shop.storeB]) };
    if (p === 'admin') {
      const made = await t.deps.db.tx((tx) =>
        createToken(tx, t.deps, { name: 'authz fresh', scope: 'admin', createdBy: 'test' }),
      );
      return { bearer: made.token };
    }
    return base;
  };

  return { t, shop, ops, parties, principals, fresh };
};
