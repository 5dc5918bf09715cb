/**
 * /openapi.json is a document a generator can trust: operation ids, tags, servers, named schemas,
 * the headers handlers read, optional parameters and bodies, problem answers per status, and
 * Spectral's `oas` ruleset without errors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TSchema, Type } from '@sinclair/typebox';
import spectralCore, { type RulesetDefinition } from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import spectralRulesets from '@stoplight/spectral-rulesets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../src/platform/errors.ts';
import { createHttpApp } from '../src/platform/http/app.ts';
import { silentLogger } from '../src/platform/log.ts';
import { createTestApp, type TestApp } from './support/app.ts';

type Json = Record<string, unknown>;
interface Operation extends Json {
  operationId?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema: Json }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Json }> };
  responses: Record<string, Json>;
  'x-problem-codes'?: ErrorCode[];
}
interface Doc extends Json {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json> };
  tags?: { name: string; description?: string }[];
  servers?: { url: string }[];
}

let t: TestApp;
let doc: Doc;
let text: string;
const ops: { method: string; path: string; op: Operation }[] = [];

beforeAll(async () => {
  t = await createTestApp();
  text = (await t.app.inject('/openapi.json')).body;
  doc = JSON.parse(text);
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) ops.push({ method, path, op });
});
afterAll(() => t.close());

const byId = (id: string): Operation => {
  const found = ops.find((o) => o.op.operationId === id);
  if (!found) throw new Error(`no operation ${id}`);
  return found.op;
};
const header = (id: string, name: string) =>
  byId(id).parameters?.find((p) => p.in === 'header' && p.name === name);
const resolve = (s: Json): Json =>
  typeof s.$ref === 'string' ? (doc.components.schemas[s.$ref.split('/').at(-1) as string] as Json) : s;

describe('the OpenAPI document', () => {
  it('gives every operation a unique, readable operationId', () => {
    expect(ops.length).toBeGreaterThan(150);
    const missing = ops.filter((o) => !o.op.operationId).map((o) => `${o.method} ${o.path}`);
    expect(missing).toEqual([]);
    const ids = ops.map((o) => o.op.operationId as string);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids.filter((id) => !/^[a-z][a-zA-Z]{2,60}$/.test(id))).toEqual([]);
    expect(byId('checkoutCart')).toBeDefined();
    expect(doc.paths['/store/products']?.get?.operationId).toBe('listStoreProducts');
    expect(doc.paths['/admin/orders/{id}']?.get?.operationId).toBe('getAdminOrder');
  });

  it('declares every tag it uses, with the description its module gives, and a server', () => {
    const declared = new Map((doc.tags ?? []).map((tag) => [tag.name, tag.description]));
    const used = new Set(ops.flatMap((o) => o.op.tags ?? []));
    expect([...used].filter((tag) => !declared.get(tag))).toEqual([]);
    expect(declared.get('store: checkout')).toBe('From cart to order, exactly once');
    expect(doc.servers?.length).toBeGreaterThan(0);
  });

  it('names the server that serves it first, for the docs page too ("Try it out" calls it)', async () => {
    for (const url of ['/openapi.json', '/docs/json']) {
      const r = await t.app.inject({ url, headers: { host: 'api.example.com:8443' } });
      expect(r.json().servers[0], url).toEqual({
        url: 'http://api.example.com:8443',
        description: 'This server',
      });
    }
  });

  it('names shared shapes once and refers to them', () => {
    for (const name of ['Cart', 'Order', 'Product', 'Customer', 'Problem', 'Pickup', 'Return', 'PosSale'])
      expect(doc.components.schemas[name], name).toBeDefined();
    expect(text.split('"prices_changed_at":{').length - 1).toBe(1); // the cart is written out once
    const cart = byId('getCart').responses['200']?.content as Record<string, { schema: Json }>;
    expect(cart['application/json']?.schema).toEqual({ $ref: '#/components/schemas/Cart' });
  });

  it('refuses to show two different schemas under one name', async () => {
    const app = await createHttpApp({
      logger: silentLogger(),
      db: t.deps.db,
      version: '0',
      description: 'x',
    });
    const named = (extra: Record<string, TSchema>) =>
      Type.Object({ id: Type.String(), ...extra }, { $id: 'Thing' });
    const response = (schema: TSchema) => ({ schema: { response: { 200: Type.Object({ thing: schema }) } } });
    app.get('/a', response(named({})), async () => ({ thing: { id: 'a' } }));
    app.get('/b', response(named({ extra: Type.String() })), async () => ({
      thing: { id: 'b', extra: 'x' },
    }));
    await app.ready();
    expect((await app.inject('/openapi.json')).statusCode).toBe(500);
    await app.close();
  });

  it('declares the headers handlers read, Idempotency-Key required where the server requires it', () => {
    expect(header('checkoutCart', 'Idempotency-Key')?.required).toBe(true);
    expect(header('createAdminReturn', 'Idempotency-Key')?.required).toBe(false);
    expect(header('addCartItem', 'x-plaza-cart-token')).toBeDefined();
    expect(header('createCart', 'x-plaza-anonymous-id')).toBeDefined();
    expect(header('getStoreOrder', 'x-plaza-order-token')).toBeDefined();
    // The same count as the handlers that require or accept a key (idempotencyKeyOf, once()).
    const declared = (need: boolean) =>
      ops.filter((o) => o.op.parameters?.some((p) => p.name === 'Idempotency-Key' && p.required === need))
        .length;
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [] : [join(dir, e.name)],
      );
    const code = sources(new URL('../src', import.meta.url).pathname)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const count = (re: RegExp) => code.match(re)?.length ?? 0;
    expect(declared(true)).toBe(
      count(/once\([^)]*required: true/g) + count(/idempotencyKeyOf\(req, true\)/g),
    );
    expect(declared(false)).toBe(count(/once\([^)]*required: false/g));
    expect(doc.components.schemas.ChannelKey).toBeUndefined(); // keys and tokens are security schemes
    expect(Object.keys((doc.components as Json).securitySchemes as Json).sort()).toEqual([
      'adminToken',
      'channelKey',
      'customerToken',
    ]);
  });

  it('makes query parameters with a default and bodies without required properties optional', async () => {
    const defaulted = ops.flatMap((o) =>
      (o.op.parameters ?? [])
        .filter((p) => p.in === 'query' && p.schema.default !== undefined && p.required)
        .map((p) => `${o.op.operationId} ${p.name}`),
    );
    expect(defaulted).toEqual([]);
    expect(byId('listStoreProducts').parameters?.find((p) => p.name === 'limit')?.required).toBe(false);
    const wrong = ops.filter(({ op }) => {
      const schema = op.requestBody && resolve(Object.values(op.requestBody.content)[0]?.schema ?? {});
      if (schema?.type !== 'object') return false;
      const optional = !(Array.isArray(schema.required) && schema.required.length > 0);
      return op.requestBody?.required === optional;
    });
    expect(wrong.map((o) => o.op.operationId)).toEqual([]);
    expect(byId('createCart').requestBody?.required).toBe(false);
    expect(byId('checkoutCart').requestBody?.required).toBe(true);
    // …and an empty body sent as JSON is accepted there.
    const { key } = await t.channel();
    const r = await t.call('POST', '/store/carts', {
      key,
      headers: { 'content-type': 'application/json' },
      body: '',
    });
    expect(r.status).toBe(201);
  });

  it('declares problem answers as application/problem+json with explicit statuses and their codes', () => {
    for (const [name, r] of Object.entries(doc.components.responses)) {
      expect(Object.keys(r.content as Json), name).toEqual(['application/problem+json']);
    }
    const problems: string[] = [];
    for (const { method, path, op } of ops) {
      const where = `${method} ${path}`;
      // The tracking API answers like Segment's ({success: false, code}); checked below.
      if (path.startsWith('/v1/')) continue;
      if (op.responses.default) problems.push(`${where}: default response`);
      const statuses = Object.keys(op.responses);
      if (!statuses.some((s) => s.startsWith('2'))) problems.push(`${where}: no success answer`);
      const codes = op['x-problem-codes'] ?? [];
      const expected = new Set(codes.map((c) => String(ERROR_CODES[c].status)));
      for (const s of statuses.filter((x) => Number(x) >= 400)) {
        if (!String(op.responses[s]?.$ref).startsWith('#/components/responses/Problem'))
          problems.push(`${where} ${s}`);
        if (!expected.has(s)) problems.push(`${where}: ${s} without a code`);
      }
      for (const s of expected) if (!op.responses[s]) problems.push(`${where}: ${s} not declared`);
      const need = ['VALIDATION_FAILED', ...(path.startsWith('/admin') ? ['UNAUTHORIZED', 'FORBIDDEN'] : [])];
      if (path.startsWith('/store')) need.push('CHANNEL_KEY_REQUIRED');
      if (path.includes('{')) need.push('NOT_FOUND');
      if (op.requestBody) need.push('MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE');
      for (const c of need) if (!codes.includes(c as ErrorCode)) problems.push(`${where}: ${c}`);
    }
    expect(problems).toEqual([]);
    const tracking = ops.filter((o) => o.path.startsWith('/v1/'));
    expect(tracking.length).toBeGreaterThanOrEqual(9);
    for (const { path, op } of tracking) {
      expect(op['x-problem-codes'], path).toEqual([]);
      const errors = Object.entries(op.responses).filter(([s]) => Number(s) >= 400);
      expect(errors.map(([s]) => s).sort(), path).toEqual(expect.arrayContaining(['401', '500', '503']));
      for (const [, r] of errors)
        expect((r.content as Json)['application/json'], path).toEqual({
          schema: { $ref: '#/components/schemas/TrackingError' },
        });
    }
    expect(byId('checkoutCart')['x-problem-codes']).toEqual(
      expect.arrayContaining(['PAYMENT_DECLINED', 'INSUFFICIENT_STOCK', 'IDEMPOTENCY_MISMATCH']),
    );
    expect(byId('checkoutCart').responses['402']).toBeDefined();
    expect(byId('createCart').responses['404']).toBeDefined(); // its items name SKUs that may not exist
    expect(byId('getCurrentCart').responses['404']).toBeDefined();
    expect(byId('getHealth').responses['503']).toBeDefined(); // answered while the process closes
    expect(byId('streamCart').responses['200']?.content).toEqual({
      'text/event-stream': { schema: { type: 'string' } },
    });
  });

  it('expresses "at least one of" rules with anyOf', () => {
    const body = resolve(
      byId('updateAdminInventoryLevels').requestBody?.content['application/json']?.schema ?? {},
    );
    expect(body.anyOf).toEqual([{ required: ['safety_stock'] }, { required: ['low_stock_threshold'] }]);
  });

  it('passes Spectral (oas ruleset) without errors and without operationId, tag, server or success warnings', async () => {
    const { Spectral, Document } = spectralCore;
    const spectral = new Spectral();
    const oas = spectralRulesets.oas as unknown as RulesetDefinition;
    spectral.setRuleset({ extends: [[oas, 'recommended']] });
    const results = await spectral.run(new Document(text, spectralParsers.Json, 'openapi.json'));
    const errors = results.filter((r) => r.severity === 0).map((r) => `${r.code} ${r.path.join('.')}`);
    expect(errors).toEqual([]);
    const banned =
      /operationId|operation-tag|tag-defined|oas3-api-servers|server|success-response|info-contact/;
    const warnings = results
      .filter((r) => r.severity === 1 && banned.test(String(r.code)))
      .map((r) => `${r.code} ${r.path.join('.')}`);
    expect(warnings).toEqual([]);
  });
});
