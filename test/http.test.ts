import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULES } from '../src/modules.ts';
import { TestClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { HttpApp } from '../src/platform/http/app.ts';
import { silentLogger } from '../src/platform/log.ts';
import type { PlazaModule } from '../src/platform/module.ts';
import { createTestDb, TEST_PRIVACY_KEY, type TestDb } from '../src/platform/testing.ts';
import { buildApp, makeDeps } from '../src/server.ts';

type Json = Record<string, unknown>;
let testDb: TestDb;
let app: HttpApp;

const boom: PlazaModule = {
  name: 'boom',
  adminRoutes(a) {
    a.get('/__boom', async () => {
      throw new Error('secret connection string postgres://user:pw@db');
    });
  },
};

beforeAll(async () => {
  testDb = await createTestDb();
  const deps = makeDeps({
    db: testDb.db,
    config: loadConfig({ PLAZA_PRIVACY_KEY: TEST_PRIVACY_KEY }),
    log: silentLogger(),
    clock: new TestClock(),
  });
  app = await buildApp(deps, [...MODULES, boom]);
});
afterAll(async () => {
  await app.close();
  await testDb.drop();
});

describe('system endpoints', () => {
  it('answers /health and /ready', async () => {
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: testDb.backend });
  });

  it('serves an OpenAPI 3.1 document with every module route and the security schemes', async () => {
    const doc = (await app.inject('/openapi.json')).json() as Json & { paths: Json; components: Json };
    expect(doc.openapi).toBe('3.1.0');
    for (const p of [
      '/admin/channels',
      '/admin/tokens',
      '/admin/webhooks',
      '/store/customers',
      '/store/auth/token',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(Object.keys(doc.components.securitySchemes as Json).sort()).toEqual([
      'adminToken',
      'channelKey',
      'customerToken',
    ]);
  });

  it('serves the interactive docs page', async () => {
    const r = await app.inject('/docs/');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(r.body).toContain('swagger');
  });
});

/** Every string in a request schema has a maxLength (or is an enum/const/pattern-free bounded format), every array maxItems, every object refuses unknown properties. */
const unbounded = (schema: unknown, path: string, out: string[]): string[] => {
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as Json;
  if (Array.isArray(s.anyOf))
    for (const [i, x] of (s.anyOf as unknown[]).entries()) unbounded(x, `${path}|${i}`, out);
  if (Array.isArray(s.oneOf))
    for (const [i, x] of (s.oneOf as unknown[]).entries()) unbounded(x, `${path}|${i}`, out);
  if (s.type === 'string' && s.maxLength === undefined && s.const === undefined && s.enum === undefined) {
    out.push(`${path}: string without maxLength`);
  }
  if (s.type === 'array') {
    if (s.maxItems === undefined) out.push(`${path}: array without maxItems`);
    unbounded(s.items, `${path}[]`, out);
  }
  if (s.type === 'object') {
    // A free-form map (attributes, options) is fine when its size, keys and values are bounded.
    const values = [
      ...(typeof s.additionalProperties === 'object' ? [s.additionalProperties] : []),
      ...Object.values((s.patternProperties as Json) ?? {}),
    ];
    if (values.length > 0) {
      if (s.maxProperties === undefined) out.push(`${path}: map without maxProperties`);
      for (const v of values) unbounded(v, `${path}{}`, out);
    } else if (s.additionalProperties !== false) {
      out.push(`${path}: object accepts unknown properties`);
    }
    for (const [k, v] of Object.entries((s.properties as Json) ?? {})) unbounded(v, `${path}.${k}`, out);
  }
  return out;
};

describe('request schemas', () => {
  it('bound every string and array and refuse unknown properties, on every route', async () => {
    const doc = (await app.inject('/openapi.json')).json() as { paths: Record<string, Record<string, Json>> };
    const problems: string[] = [];
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const p of (op.parameters as { name: string; schema: Json }[] | undefined) ?? []) {
          unbounded(p.schema, `${method.toUpperCase()} ${path} param ${p.name}`, problems);
          checked++;
        }
        const body = (op.requestBody as { content?: Record<string, { schema: Json }> } | undefined)?.content;
        for (const c of Object.values(body ?? {})) {
          unbounded(c.schema, `${method.toUpperCase()} ${path} body`, problems);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });
});

describe('errors', () => {
  it('checks credentials before looking at the body', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/store/customers',
      headers: { 'content-type': 'application/json', 'x-plaza-channel-key': 'pk_x' },
      payload: '{"email": ',
    });
    // The channel key is checked first: without a valid key the answer is CHANNEL_KEY_REQUIRED.
    expect(r.statusCode).toBe(401);
    const admin = await app.inject({
      method: 'POST',
      url: '/admin/channels',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(admin.statusCode).toBe(401);
    expect(admin.json().code).toBe('UNAUTHORIZED');
  });

  it('maps framework errors to stable codes', async () => {
    const token = 'plz_at_http_test_token_0123456789abcdefghij';
    const { createToken } = await import('../src/modules/access/index.ts');
    await testDb.db.tx((tx) =>
      createToken(tx, { clock: new TestClock() }, { name: 't', scope: 'admin', token, createdBy: 'test' }),
    );
    const auth = { authorization: `Bearer ${token}` };
    const malformed = await app.inject({
      method: 'POST',
      url: '/admin/channels',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');
    expect(malformed.json().code).toBe('MALFORMED_JSON');

    const media = await app.inject({
      method: 'POST',
      url: '/admin/channels',
      headers: { ...auth, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(media.statusCode).toBe(415);
    expect(media.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const large = await app.inject({
      method: 'POST',
      url: '/admin/channels',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2_000_000) }),
    });
    expect(large.statusCode).toBe(413);
    expect(large.json().code).toBe('PAYLOAD_TOO_LARGE');

    const noRoute = await app.inject('/nowhere');
    expect(noRoute.statusCode).toBe(404);
    expect(noRoute.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND', status: 404, instance: '/nowhere' });

    const badQuery = await app.inject({ url: '/admin/channels?limit=5000', headers: auth });
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json().errors[0].path).toBe('querystring.limit');
  });

  it('answers unexpected errors with a generic INTERNAL that leaks nothing', async () => {
    const token = 'plz_at_http_test_token_0123456789abcdefghij';
    const r = await app.inject({ url: '/admin/__boom', headers: { authorization: `Bearer ${token}` } });
    expect(r.statusCode).toBe(500);
    expect(r.json().code).toBe('INTERNAL');
    expect(r.body).not.toContain('postgres://');
    expect(r.body).not.toContain('secret');
  });

  it('echoes a valid x-request-id and generates one otherwise', async () => {
    const given = await app.inject({ url: '/nowhere', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    expect(given.json().request_id).toBe('abc-123');
    const bad = await app.inject({ url: '/health', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(bad.headers['x-request-id']).toMatch(/^req_[0-9A-Z]{26}$/);
  });
});
