/**
 * The built UI is served by the API process: /console, /shop and /pos answer their index.html (SPA
 * fallback) with security headers; /assets are immutable and pre-compressed; the shop's page carries
 * the web channel's publishable key. A fake build in a temp folder stands in for web/dist.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKeyResolver } from '../src/modules/events/index.ts';
import { registerUi } from '../src/platform/http/ui.ts';
import { createTestApp, type TestApp } from './support/app.ts';

const dist = mkdtempSync(join(tmpdir(), 'plaza-ui-'));
const page = (app: string) =>
  `<!doctype html><html><head><title>${app}</title><script type="module" src="/assets/${app}-abc123.js"></script></head><body><div id="root"></div></body></html>`;
const js = 'console.log("plaza");'.repeat(50);
for (const app of ['console', 'shop', 'pos']) {
  mkdirSync(join(dist, app), { recursive: true });
  writeFileSync(join(dist, app, 'index.html'), page(app));
}
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'assets', 'shop-abc123.js'), js);
writeFileSync(join(dist, 'assets', 'shop-abc123.js.br'), brotliCompressSync(js));
writeFileSync(join(dist, 'assets', 'shop-abc123.js.gz'), gzipSync(js));

let t: TestApp;
let webKey: string;
beforeAll(async () => {
  t = await createTestApp({ env: { PLAZA_WEB_DIST: dist } });
  webKey = (await t.channel('web', 'UI web shop')).key;
});
afterAll(async () => {
  await t.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('UI serving', () => {
  it('answers each app and its deep links with index.html and the security headers', async () => {
    for (const url of ['/console/', '/console/orders/ord_1', '/pos/sale', '/shop/products/prod_1?x=1']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const app = url.split('/')[1];
      expect(res.body).toContain(`<title>${app}</title>`);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    const bare = await t.app.inject({ method: 'GET', url: '/console' });
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/console/');
  });

  it('serves hashed assets pre-compressed with a long-lived immutable cache', async () => {
    const br = await t.app.inject({
      method: 'GET',
      url: '/assets/shop-abc123.js',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toContain('immutable');
    expect(br.headers['cache-control']).toContain('max-age=31536000');
    const gz = await t.app.inject({
      method: 'GET',
      url: '/assets/shop-abc123.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await t.app.inject({ method: 'GET', url: '/assets/shop-abc123.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(js);
    const missing = await t.app.inject({ method: 'GET', url: '/assets/nope-000.js' });
    expect(missing.statusCode).toBe(404);
  });

  it("writes the web channel's publishable key into the shop's page only", async () => {
    const shop = await t.app.inject({ method: 'GET', url: '/shop/' });
    const key = /<meta name="plaza-channel-key" content="([^"]+)"/.exec(shop.body)?.[1];
    expect(key).toMatch(/^pk_/);
    // the key in the page opens /store on a web channel
    const channel = await t.call<{ type: string }>('GET', '/store/channel', {
      headers: { 'x-plaza-channel-key': key ?? '' },
    });
    expect(channel.status).toBe(200);
    expect(channel.body.type).toBe('web');
    expect(webKey).toMatch(/^pk_/);
    const consolePage = await t.app.inject({ method: 'GET', url: '/console/' });
    expect(consolePage.body).not.toContain('plaza-channel-key');
  });

  it("writes the write key of the shop channel's web source into the shop's page, made on first use", async () => {
    const writeKeyOf = async () =>
      /<meta name="plaza-write-key" content="([^"]+)"/.exec((await t.app.inject('/shop/')).body)?.[1];
    const key = await writeKeyOf();
    expect(key).toMatch(/^wk_[A-Za-z0-9_-]{32}$/);
    const source = await writeKeyResolver(t.deps)(key ?? '');
    const shop = /<meta name="plaza-channel-key" content="([^"]+)"/.exec(
      (await t.app.inject('/shop/')).body,
    )?.[1];
    const channel = await t.call<{ id: string }>('GET', '/store/channel', { key: shop });
    expect(source).toMatchObject({ kind: 'web', channelId: channel.body.id });
    expect(await writeKeyOf()).toBe(key);
    // revoked: the next page carries a new key at once
    await t.admin('DELETE', `/event-sources/${source?.sourceId}/write-keys/${source?.keyId}`);
    const next = await writeKeyOf();
    expect(next).toMatch(/^wk_/);
    expect(next).not.toBe(key);
    expect((await t.app.inject('/console/')).body).not.toContain('plaza-write-key');
  });

  it('leaves the API alone: JSON answers carry no UI page headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toBeUndefined();
  });

  it('says how to build the UI when it is not built, instead of a blank page', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'plaza-ui-empty-'));
    const bare = Fastify();
    await registerUi(bare, { distDir: empty, shopChannelKey: async () => undefined });
    const res = await bare.inject({ method: 'GET', url: '/pos/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:web');
    await bare.close();
    rmSync(empty, { recursive: true, force: true });
  });
});
