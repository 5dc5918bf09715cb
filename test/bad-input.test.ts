/**
 * "Bad input gets a clear error, never a 500": every operation in the OpenAPI document is called with
 * real and made-up ids, malformed JSON, wrong types and junk query strings, and with the input a
 * schema alone does not stop: numbers that overflow or that JavaScript cannot hold (1e309, "1e1000",
 * "Infinity", 2^53 + 1) and text PostgreSQL refuses (NUL, a lone surrogate) in every path parameter,
 * query parameter, credential header and body field. Every answer must be below 500, every error a
 * problem document with a code that docs/errors.md lists, and the hostile classes must be refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import {
  createFixture,
  documentedCodes,
  type Fixture,
  HOSTILE_NUMBER_TEXT,
  headersFor,
  leavesOf,
  type Operation,
  operationsOf,
  prefixOf,
  RawJson,
  sample,
  send,
  toJsonText,
  urlFor,
  withLeaf,
} from './support/hostile.ts';

let t: TestApp;
let f: Fixture;
let ops: Operation[];
let documented: string;

beforeAll(async () => {
  t = await createTestApp();
  f = await createFixture(t);
  ops = await operationsOf(t);
  documented = documentedCodes();
}, 60_000);
afterAll(() => t.close());

const JUNK_BODIES = [
  '{',
  '[]',
  'null',
  JSON.stringify({ quantity: 'many', sku: 5, email: 1, items: 'none', status: 'nope' }),
  JSON.stringify({ items: [{ sku: 'x'.repeat(5000), quantity: 1e15 }], amount: -1, currency: 'XXX' }),
];
const JUNK_QUERY = '?limit=abc&cursor=%FF%FE&status=zzz&from=yesterday&q=%27%22%5C';
const hasBody = (op: Operation) => op.method !== 'GET' && op.method !== 'DELETE';

/** Runs requests and collects failures and the status of every hostile request. */
const walk = () => {
  const failures: string[] = [];
  const statuses: number[] = [];
  let calls = 0;
  return {
    failures,
    statuses,
    get calls() {
      return calls;
    },
    async call(req: Parameters<typeof send>[2]) {
      calls++;
      const r = await send(t, documented, req);
      if (r.failure) failures.push(r.failure);
      statuses.push(r.status);
      return r.status;
    },
  };
};

describe('bad input on every route', () => {
  it('junk ids, bodies and queries: never 5xx, every error a documented problem', async () => {
    const w = walk();
    for (const op of ops) {
      for (const madeUp of [false, true]) {
        const url = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
          const prefix = prefixOf(op.params.find((p) => p.in === 'path' && p.name === name)?.schema);
          if (madeUp)
            return encodeURIComponent(
              prefix ? `${prefix}_01ZZZZZZZZZZZZZZZZZZZZZZZZ` : "'; drop table orders;--",
            );
          return encodeURIComponent((prefix && f.real.get(prefix)) || 'x');
        });
        const headers = { ...headersFor(t, f, op), 'idempotency-key': `junk-${w.calls}` };
        for (const body of hasBody(op) ? JUNK_BODIES : [undefined]) {
          await w.call({
            method: op.method,
            url: op.method === 'GET' ? `${url}${JUNK_QUERY}` : url,
            headers,
            body,
          });
        }
      }
    }
    console.log(`bad input (junk): ${w.calls} calls over ${ops.length} operations`);
    expect(w.calls).toBeGreaterThan(500);
    expect(w.failures).toEqual([]);
  }, 240_000);

  it('numbers that overflow or are not finite, in query strings and bodies, get 400 VALIDATION_FAILED', async () => {
    const w = walk();
    let hostile = 0;
    const refused: string[] = [];
    for (const op of ops) {
      const headers = { ...headersFor(t, f, op), 'idempotency-key': `num-${w.calls}` };
      const url = urlFor(op, f);
      for (const p of op.params.filter((x) => x.in === 'query')) {
        const numeric = ['integer', 'number'].includes(String(p.schema?.type));
        for (const v of numeric ? HOSTILE_NUMBER_TEXT : ['1e309']) {
          const status = await w.call({
            method: op.method,
            url: `${url}?${p.name}=${encodeURIComponent(v)}`,
            headers,
          });
          if (numeric) {
            hostile++;
            if (status !== 400) refused.push(`${op.method} ${op.path} ?${p.name}=${v} → ${status}`);
          }
        }
      }
      if (!hasBody(op) || !op.body) continue;
      const body = sample(op.body, f.real);
      for (const leaf of leavesOf(body).filter((l) => l.kind === 'number')) {
        for (const v of [
          new RawJson('1e309'),
          new RawJson('-1e309'),
          new RawJson('9007199254740993'),
          '1e1000',
          'Infinity',
        ]) {
          hostile++;
          const status = await w.call({
            method: op.method,
            url,
            headers,
            body: toJsonText(withLeaf(body, leaf.path, v)),
          });
          if (status !== 400)
            refused.push(
              `${op.method} ${op.path} body.${leaf.path.join('.')}=${String(v instanceof RawJson ? v.text : v)} → ${status}`,
            );
        }
        // large but representable: a route may take them or refuse them, never fail on a 32-bit column
        for (const v of [2_147_483_648, -2_147_483_649, 9_007_199_254_740_991]) {
          await w.call({ method: op.method, url, headers, body: toJsonText(withLeaf(body, leaf.path, v)) });
        }
      }
    }
    console.log(
      `bad input (numbers): ${w.calls} calls, ${hostile} with a hostile number where a number belongs`,
    );
    expect(hostile).toBeGreaterThan(300);
    expect(w.failures).toEqual([]);
    expect(refused).toEqual([]);
  }, 240_000);

  it('NUL and lone surrogates in path segments, query parameters, headers and body fields get 400', async () => {
    const w = walk();
    const accepted: string[] = [];
    const expect400 = async (what: string, req: Parameters<typeof send>[2]) => {
      const status = await w.call(req);
      if (status !== 400) accepted.push(`${what} → ${status}`);
    };
    for (const op of ops) {
      const headers = { ...headersFor(t, f, op), 'idempotency-key': `nul-${w.calls}` };
      const url = urlFor(op, f);
      const body = hasBody(op) && op.body ? toJsonText(sample(op.body, f.real)) : undefined;
      for (const p of op.params.filter((x) => x.in === 'path')) {
        const real = String(sample(p.schema, f.real) ?? 'x');
        await expect400(`${op.method} ${op.path} {${p.name}} NUL`, {
          method: op.method,
          url: urlFor(op, f, { name: p.name, value: `${real}\u0000` }),
          headers,
          body,
        });
      }
      for (const p of op.params.filter((x) => x.in === 'query')) {
        await expect400(`${op.method} ${op.path} ?${p.name}=%00`, {
          method: op.method,
          url: `${url}?${p.name}=a%00`,
          headers,
        });
      }
      // credentials and other headers that reach SQL
      const credential: Record<string, string> = op.path.startsWith('/admin')
        ? { authorization: 'Bearer plz_at_\u0000' }
        : { 'x-plaza-channel-key': `${f.shop.web.key}\u0000` };
      await expect400(`${op.method} ${op.path} NUL credential`, {
        method: op.method,
        url,
        headers: { ...headers, ...credential },
        body,
      });
      await expect400(`${op.method} ${op.path} NUL headers`, {
        method: op.method,
        url,
        headers: {
          ...headers,
          'idempotency-key': 'k\u0000',
          'x-plaza-cart-token': `${f.cartToken}\u0000`,
          'x-plaza-anonymous-id': 'anon\u0000',
        },
        body,
      });
      if (!hasBody(op) || !op.body) continue;
      const sampled = sample(op.body, f.real);
      for (const leaf of leavesOf(sampled).filter((l) => l.kind === 'string')) {
        for (const v of ['a\u0000b', 'x\ud800']) {
          await expect400(`${op.method} ${op.path} body.${leaf.path.join('.')}=${JSON.stringify(v)}`, {
            method: op.method,
            url,
            headers,
            body: toJsonText(withLeaf(sampled, leaf.path, v)),
          });
        }
      }
      await expect400(`${op.method} ${op.path} NUL key`, {
        method: op.method,
        url,
        headers,
        body: toJsonText({ ...(sampled as object), 'k\u0000': 'v' }),
      });
    }
    // the cart stream authenticates from its query string (EventSource sends no headers)
    const cartId = f.real.get('cart') ?? 'x';
    for (const q of ['channel_key', 'access_token', 'cart_token']) {
      const query = { channel_key: f.shop.web.key, cart_token: f.cartToken, [q]: 'a\u0000' };
      const qs = Object.entries(query)
        .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
        .join('&');
      await expect400(`GET stream ?${q}=%00`, {
        method: 'GET',
        url: `/store/carts/${cartId}/stream?${qs}`,
        headers: {},
      });
    }
    console.log(`bad input (NUL): ${w.calls} calls`);
    expect(w.calls).toBeGreaterThan(500);
    expect(w.failures).toEqual([]);
    expect(accepted).toEqual([]);
  }, 240_000);
});
