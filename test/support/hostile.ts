/**
 * Hostile-input support for the bad-input test and the fuzzer: the operations of /openapi.json, a small
 * shop with real ids and credentials to call them with, valid sample values built from each schema,
 * and the hostile values that a schema alone does not stop (overflowing numbers, NUL, lone surrogates).
 */
import { readFileSync } from 'node:fs';
import { TEST_CARDS } from '../../src/modules/payments/index.ts';
import type { TestApp } from './app.ts';
import { createShop, type Shop } from './shop.ts';

export type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  additionalProperties?: boolean | Schema;
  patternProperties?: Record<string, Schema>;
};

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}

export interface Operation {
  method: string;
  path: string;
  params: Param[];
  body: Schema | undefined;
}

/** A raw JSON number text (`1e309`, `9007199254740993`) that JavaScript cannot hold as a value. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a value in which RawJson leaves are written verbatim. */
export const toJsonText = (value: unknown): string => {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `@@raw${raws.length - 1}@@`;
    }
    return v;
  });
  return (text ?? 'null').replace(/"@@raw(\d+)@@"/g, (_, i: string) => raws[Number(i)] ?? 'null');
};

/** Numbers a schema must refuse: they overflow to Infinity or are not integers JavaScript can hold. */
export const HOSTILE_NUMBERS = [
  new RawJson('1e309'),
  new RawJson('-1e309'),
  new RawJson('9007199254740993'),
  '1e1000',
  'Infinity',
  '-Infinity',
  'NaN',
  '9007199254740993',
];
/** The same as query-string text. */
export const HOSTILE_NUMBER_TEXT = [
  '1e309',
  '-1e309',
  '1e1000',
  'Infinity',
  '-Infinity',
  'NaN',
  '9007199254740993',
];
/** Text PostgreSQL refuses (NUL; a lone surrogate in jsonb). */
export const HOSTILE_TEXT = ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy'];

/** Every JSON operation of the OpenAPI document (Server-Sent Event streams left out: they stay open). */
export const operationsOf = async (t: TestApp): Promise<Operation[]> => {
  const spec = JSON.parse((await t.app.inject('/openapi.json')).body) as {
    paths: Record<
      string,
      Record<
        string,
        { parameters?: Param[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }
      >
    >;
  };
  const ops: Operation[] = [];
  for (const [path, byMethod] of Object.entries(spec.paths)) {
    if (path.endsWith('/stream')) continue;
    for (const [method, op] of Object.entries(byMethod)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      ops.push({
        method: method.toUpperCase(),
        path,
        params: op.parameters ?? [],
        body: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return ops;
};

export const documentedCodes = (): string =>
  readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

/** A shop with one order, a registered customer and an open cart: real ids and credentials. */
export interface Fixture {
  shop: Shop;
  /** Real ids by prefix (ord, cart, loc, chn, …). */
  real: Map<string, string>;
  cartToken: string;
  orderToken: string | undefined;
  customerToken: string | undefined;
}

const harvest = (real: Map<string, string>, value: unknown): void => {
  if (typeof value === 'string') {
    const m = /^([a-z]+)_[0-9A-Z]{26}$/.exec(value);
    // never the admin token itself: revoking it would turn the rest of the walk into 401s
    if (m?.[1] && m[1] !== 'tok' && !real.has(m[1])) real.set(m[1], value);
  } else if (Array.isArray(value)) for (const v of value) harvest(real, v);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) harvest(real, v);
};

let fixtures = 0;

export const createFixture = async (t: TestApp): Promise<Fixture> => {
  fixtures++;
  const shop = await createShop(t);
  const real = new Map<string, string>();
  harvest(real, shop);
  const key = shop.web.key;
  const cart = await t.call('POST', '/store/carts', {
    key,
    body: { items: [{ sku: shop.skus.tee, quantity: 1 }] },
  });
  harvest(real, cart.body);
  const token = { 'x-plaza-cart-token': String(cart.body.cart_token) };
  const cartId = String((cart.body.cart as { id: string }).id);
  await t.call('PUT', `/store/carts/${cartId}/fulfillment`, {
    key,
    headers: token,
    body: { type: 'pickup', location_id: shop.storeA },
  });
  const order = await t.call('POST', `/store/carts/${cartId}/checkout`, {
    key,
    headers: { ...token, 'idempotency-key': `hostile-${fixtures}-${Date.now()}` },
    body: { email: 'junk@example.com', payment: { provider: 'test-card', card_number: TEST_CARDS.approve } },
  });
  if (order.status !== 201) throw new Error(`checkout failed: ${order.status} ${order.text}`);
  harvest(real, order.body);
  harvest(real, (await t.admin('GET', `/orders/${(order.body.order as { id: string }).id}`)).body);
  const email = `junk-owner-${fixtures}-${Date.now()}@example.com`;
  const password = 'a long enough password';
  harvest(real, (await t.call('POST', '/store/customers', { key, body: { email, password } })).body);
  const login = await t.call('POST', '/store/auth/token', { key, body: { email, password } });
  // a second cart stays open for the cart routes
  const open = await t.call('POST', '/store/carts', {
    key,
    body: { items: [{ sku: shop.skus.cap, quantity: 1 }] },
  });
  const openCart = open.body.cart as { id: string };
  real.set('cart', openCart.id);
  return {
    shop,
    real,
    cartToken: String(open.body.cart_token),
    orderToken: typeof order.body.order_token === 'string' ? order.body.order_token : undefined,
    customerToken: typeof login.body.token === 'string' ? login.body.token : undefined,
  };
};

/** The id prefix a path or query parameter's pattern asks for (`^ord_…` → `ord`). */
export const prefixOf = (schema: Schema | undefined): string | undefined =>
  schema?.pattern ? /^\^([a-z]+)_/.exec(schema.pattern)?.[1] : undefined;

const madeUpId = (prefix: string) => `${prefix}_01ZZZZZZZZZZZZZZZZZZZZZZZZ`;

const typesOf = (s: Schema): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

const sampleString = (s: Schema, real: Map<string, string>): string => {
  const prefix = prefixOf(s);
  if (prefix) return real.get(prefix) ?? madeUpId(prefix);
  if (s.format === 'date-time') return '2026-01-01T00:00:00.000Z';
  if (s.format === 'date') return '2000-01-01';
  if (s.format === 'email') return 'fuzz@example.com';
  if (s.format === 'uri' || s.format === 'url') return 'https://example.com/hook';
  if (s.pattern === '^[A-Z]{3}$') return 'USD';
  if (s.pattern?.includes('[A-Za-z]{2}')) return 'US';
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 20;
  return 'x'.repeat(Math.min(Math.max(min, 3), max));
};

/**
 * A plausible valid value of a schema, so that a request gets past validation and into the handler and
 * the database, where hostile values that the schema lets through do their harm. `full` includes
 * optional properties.
 */
export const sample = (s: Schema | undefined, real: Map<string, string>, full = true, depth = 0): unknown => {
  if (!s || depth > 8) return undefined;
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const branches = s.anyOf ?? s.oneOf;
  if (branches) {
    const b = branches.find((x) => !typesOf(x).includes('null')) ?? branches[0];
    return sample(b, real, full, depth + 1);
  }
  const type = typesOf(s).find((x) => x !== 'null');
  switch (type) {
    case 'string':
      return sampleString(s, real);
    case 'integer':
    case 'number':
      return Math.min(Math.max(1, s.minimum ?? 1), s.maximum ?? 1);
    case 'boolean':
      return true;
    case 'array': {
      const n = Math.max(1, s.minItems ?? 0);
      return Array.from({ length: n }, () => sample(s.items, real, full, depth + 1));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) {
        if (full || s.required?.includes(k)) out[k] = sample(v, real, full, depth + 1);
      }
      return out;
    }
    default:
      return undefined;
  }
};

/** Paths of every leaf (string, number, boolean) in a sampled value, with the leaf's kind. */
export const leavesOf = (
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; kind: string }[] => {
  if (Array.isArray(value)) return value.flatMap((v, i) => leavesOf(v, [...path, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => leavesOf(v, [...path, k]));
  return [{ path, kind: typeof value }];
};

/** A deep copy of `value` with the leaf at `path` replaced. */
export const withLeaf = (value: unknown, path: (string | number)[], leaf: unknown): unknown => {
  const [head, ...rest] = path;
  if (head === undefined) return leaf;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? withLeaf(v, rest, leaf) : v));
  const o = (value ?? {}) as Record<string, unknown>;
  return { ...o, [head]: withLeaf(o[head], rest, leaf) };
};

/** Credentials for an operation: admin token on /admin, channel key, customer and cart tokens on /store. */
export const headersFor = (t: TestApp, f: Fixture, op: Operation): Record<string, string> => {
  if (op.path.startsWith('/admin')) return { authorization: `Bearer ${t.adminToken}` };
  const h: Record<string, string> = {
    'x-plaza-channel-key': f.shop.web.key,
    'x-plaza-cart-token': f.cartToken,
  };
  if (f.orderToken) h['x-plaza-order-token'] = f.orderToken;
  if (f.customerToken && !/\/auth\/|\/customers$/.test(op.path))
    h.authorization = `Bearer ${f.customerToken}`;
  return h;
};

/**
 * encodeURIComponent that also takes lone surrogates, written as the three bytes a careless client
 * would send (WTF-8, `%ED%A0%80` for U+D800) instead of throwing.
 */
export const encodeText = (s: string): string =>
  s.replace(/\p{Cs}|[^\p{Cs}]+/gu, (part) => {
    const u = part.charCodeAt(0);
    if (part.length > 1 || u < 0xd800 || u > 0xdfff) return encodeURIComponent(part);
    return [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)]
      .map((b) => `%${b.toString(16).toUpperCase()}`)
      .join('');
  });

/** Path parameters filled with real ids (or `override` for one of them, URL-encoded). */
export const urlFor = (op: Operation, f: Fixture, override?: { name: string; value: string }): string =>
  op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (override?.name === name) return encodeText(override.value);
    const schema = op.params.find((p) => p.in === 'path' && p.name === name)?.schema;
    return encodeURIComponent(String(sample(schema, f.real) ?? 'x'));
  });

export interface Outcome {
  status: number;
  failure: string | undefined;
  contentType: string | undefined;
  text: string;
}

/**
 * Sends one request and judges the answer: a 5xx, or an error that is not a problem document with a
 * code listed in docs/errors.md, is a failure.
 */
export const send = async (
  t: TestApp,
  documented: string,
  req: { method: string; url: string; headers: Record<string, string>; body?: string },
): Promise<Outcome> => {
  const res = await t.app.inject({
    method: req.method as 'GET',
    url: req.url,
    headers: req.body === undefined ? req.headers : { ...req.headers, 'content-type': 'application/json' },
    ...(req.body === undefined ? {} : { payload: req.body }),
  });
  const what = `${req.method} ${req.url} ${JSON.stringify(req.body?.slice(0, 120) ?? '')} → ${res.statusCode}`;
  const answer = { contentType: res.headers['content-type'] as string | undefined, text: res.body };
  if (res.statusCode >= 500)
    return { status: res.statusCode, failure: `${what} ${res.body.slice(0, 200)}`, ...answer };
  if (res.statusCode >= 400) {
    const type = String(res.headers['content-type'] ?? '');
    let code: string | undefined;
    try {
      code = (JSON.parse(res.body) as { code?: string }).code;
    } catch {
      code = undefined;
    }
    // The tracking API (/v1) answers like Segment: JSON `{success: false, code}` (docs/events.md).
    const media = req.url.startsWith('/v1/') ? 'application/json' : 'application/problem+json';
    if (!type.startsWith(media) || !code || !documented.includes(`\`${code}\``)) {
      return {
        status: res.statusCode,
        failure: `${what} not a documented problem: ${type} ${res.body.slice(0, 200)}`,
        ...answer,
      };
    }
  }
  return { status: res.statusCode, failure: undefined, ...answer };
};
