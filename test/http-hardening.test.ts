/**
 * HTTP hardening (docs/configuration.md#abuse-limits): security headers on every answer (API, error,
 * UI page and asset), small bodies on authentication routes (413 PAYLOAD_TOO_LARGE), and, on a
 * listening server, oversized request heads (431) and slow clients (408).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../src/platform/http/app.ts';
import { buildApp, makeDeps } from '../src/server.ts';
import { createTestApp, type TestApp } from './support/app.ts';

const dist = mkdtempSync(join(tmpdir(), 'plaza-hardening-'));
mkdirSync(join(dist, 'console'), { recursive: true });
writeFileSync(join(dist, 'console', 'index.html'), '<!doctype html><title>console</title>');
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'assets', 'console-abc123.js'), 'console.log(1);');

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await createTestApp({ env: { PLAZA_WEB_DIST: dist } });
  key = (await t.channel('web')).key;
});
afterAll(async () => {
  await t?.close();
  rmSync(dist, { recursive: true, force: true });
});

const COMMON = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

describe('security headers', () => {
  it('on API answers, error answers, UI pages and assets', async () => {
    const answers = {
      api: await t.app.inject({ method: 'GET', url: '/health' }),
      store: await t.app.inject({
        method: 'GET',
        url: '/store/products',
        headers: { 'x-plaza-channel-key': key },
      }),
      error: await t.app.inject({ method: 'GET', url: '/no/such/route' }),
      unauthorized: await t.app.inject({ method: 'GET', url: '/admin/orders' }),
      page: await t.app.inject({ method: 'GET', url: '/console/orders' }),
      asset: await t.app.inject({ method: 'GET', url: '/assets/console-abc123.js' }),
    };
    expect(answers.api.statusCode).toBe(200);
    expect(answers.store.statusCode).toBe(200);
    expect(answers.error.statusCode).toBe(404);
    expect(answers.unauthorized.statusCode).toBe(401);
    expect(answers.page.statusCode).toBe(200);
    expect(answers.asset.statusCode).toBe(200);
    for (const [name, res] of Object.entries(answers)) {
      expect(res.headers, name).toMatchObject(COMMON);
      expect(res.headers['strict-transport-security'], name).toBeUndefined();
    }
    // the UI page's own policy: no inline scripts, no framing
    expect(String(answers.page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(answers.page.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(answers.api.headers['content-security-policy']).toBeUndefined();
    expect(answers.page.headers['cross-origin-opener-policy']).toBe('same-origin');
    // same-origin resources only where no other site needs them
    expect(answers.unauthorized.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(answers.page.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(answers.store.headers['cross-origin-resource-policy']).toBeUndefined();
    expect(answers.asset.headers['cross-origin-resource-policy']).toBeUndefined();
  });

  it('CORS is unchanged: the preflight of /store still answers every origin, with the headers added', async () => {
    const pre = await t.app.inject({
      method: 'OPTIONS',
      url: '/store/products',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' },
    });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    expect(pre.headers['x-content-type-options']).toBe('nosniff');
  });

  it('Strict-Transport-Security only when PLAZA_HSTS_MAX_AGE is set', async () => {
    const config = { ...t.deps.config, limits: { ...t.deps.config.limits, hstsMaxAge: 31_536_000 } };
    const https = await buildApp(makeDeps({ ...t.deps, config }));
    try {
      const res = await https.inject({ method: 'GET', url: '/health' });
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await https.close();
    }
  });
});

describe('body limits', () => {
  const big = { email: 'a@example.com', password: 'x'.repeat(20_000) };

  it('authentication routes refuse bodies over 16 KB with 413 PAYLOAD_TOO_LARGE', async () => {
    for (const [url, headers] of [
      ['/store/auth/token', { 'x-plaza-channel-key': key }],
      ['/store/customers', { 'x-plaza-channel-key': key }],
      ['/admin/auth/login', {}],
      ['/admin/auth/password-reset', {}],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url, headers, payload: big });
      expect(res.statusCode, url).toBe(413);
      expect(res.json().code, url).toBe('PAYLOAD_TOO_LARGE');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('other routes keep the 1 MiB limit', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/store/carts',
      headers: { 'x-plaza-channel-key': key },
      payload: { note: 'x'.repeat(20_000) },
    });
    expect(res.statusCode).not.toBe(413);
  });
});

/** Sends raw bytes to a listening server and returns what it answers before closing. */
const raw = (port: number, bytes: string, waitMs = 10_000): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(out);
    }, waitMs);
    socket.on('data', (d) => {
      out += d.toString('utf8');
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
    socket.on('error', reject);
    socket.write(bytes);
  });

describe('request heads and slow clients (a listening server)', () => {
  let server: HttpApp;
  let port: number;
  beforeAll(async () => {
    const limits = { ...t.deps.config.limits, headersTimeoutMs: 1000, requestTimeoutMs: 1500 };
    server = await buildApp(makeDeps({ ...t.deps, config: { ...t.deps.config, limits } }));
    await server.listen({ port: 0, host: '127.0.0.1' });
    const address = server.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(() => server?.close());

  it('a request head over 16 KiB is answered 431', async () => {
    const answer = await raw(port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    const fine = await raw(
      port,
      `GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: ${'a'.repeat(8000)}\r\n\r\n`,
    );
    expect(fine).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('a client that does not finish its head in time is answered 408 and cut off', async () => {
    const started = Date.now();
    const answer = await raw(port, 'GET /health HTTP/1.1\r\nHost: x\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeLessThan(6000);
  });
});
