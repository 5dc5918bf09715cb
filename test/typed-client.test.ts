/**
 * The typed client (client/) against the live OpenAPI document: the committed types are what
 * openapi-typescript makes of the document today, the examples of client/README.md type-check
 * against them, and a shopper's journey through the client gets only answers the document declares
 * (status, content type and body, checked with Ajv).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { OpenAPI3 } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlazaClient, newIdempotencyKey, PlazaProblemError, unwrap } from '../client/src/index.ts';
import { CLIENT_SCHEMA_FILE, clientSchemaSource } from '../scripts/client-schema.ts';
import { TEST_CARDS } from '../src/modules/payments/index.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { type ContractChecker, contractChecker } from './support/contract.ts';
import { createShop, type Shop } from './support/shop.ts';

const ROOT = new URL('../', import.meta.url);
let t: TestApp;
let doc: OpenAPI3;
let generated: string;

beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.app.inject('/openapi.json')).json();
  generated = await clientSchemaSource(doc);
});
afterAll(() => t.close());

/** The ```ts blocks of a Markdown file, in order, as one module. */
const tsBlocks = (markdown: string): string =>
  [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');

describe('the typed client', () => {
  it('holds the types of the live document (run `npm run client:generate` when this fails)', () => {
    expect(readFileSync(CLIENT_SCHEMA_FILE, 'utf8') === generated).toBe(true);
  });

  it('type-checks the examples of its README against types generated from the live document', () => {
    const examples = tsBlocks(readFileSync(new URL('client/README.md', ROOT), 'utf8'));
    expect(examples).toContain("'Idempotency-Key'");
    // The work folder sits inside the repository so that `openapi-fetch` resolves from node_modules.
    const cache = join(ROOT.pathname, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, 'plaza-client-'));
    try {
      writeFileSync(join(dir, 'schema.ts'), generated);
      writeFileSync(join(dir, 'index.ts'), readFileSync(new URL('client/src/index.ts', ROOT), 'utf8'));
      writeFileSync(
        join(dir, 'examples.ts'),
        examples.replaceAll("from '@plaza/client'", "from './index.ts'"),
      );
      const program = ts.createProgram([join(dir, 'examples.ts')], {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        allowImportingTsExtensions: true,
        verbatimModuleSyntax: true,
      });
      const errors = ts
        .getPreEmitDiagnostics(program)
        .map(
          (d) =>
            `${d.file?.fileName.split('/').at(-1)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
        );
      expect(errors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a journey through the typed client', () => {
  let shop: Shop;
  let base: string;
  let contract: ContractChecker;
  const violations: string[] = [];

  beforeAll(async () => {
    shop = await createShop(t);
    contract = contractChecker(doc);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });

  /** A client whose every answer is checked against the document. */
  const client = (opts: { channelKey?: string; token?: string }) => {
    const c = createPlazaClient({ baseUrl: base, ...opts });
    c.use({
      async onResponse({ request, response }) {
        const body = await response.clone().text();
        const path = new URL(request.url).pathname;
        const ct = response.headers.get('content-type') ?? undefined;
        violations.push(...contract.check(request.method, path, response.status, ct, body));
      },
    });
    return c;
  };

  it('browses, fills a cart, checks out once, and gets only answers the document declares', async () => {
    const store = client({ channelKey: shop.web.key });
    const admin = client({ token: t.adminToken });

    const page = await unwrap(store.GET('/store/products'));
    expect(page.data.length).toBeGreaterThan(0);
    const product = await unwrap(
      store.GET('/store/products/{id}', { params: { path: { id: page.data[0]!.id } } }),
    );
    expect(product.id).toBe(page.data[0]!.id);

    const empty = await unwrap(store.POST('/store/carts'));
    expect(empty.cart.lines).toEqual([]);
    const created = await unwrap(
      store.POST('/store/carts', { body: { items: [{ sku: shop.skus.tee, quantity: 1 }] } }),
    );
    const header = { 'x-plaza-cart-token': created.cart_token ?? undefined };
    const id = created.cart.id;
    await unwrap(store.GET('/store/carts/{id}', { params: { path: { id }, header } }));

    const tooMany = await store.POST('/store/carts/{id}/items', {
      params: { path: { id }, header },
      body: { sku: shop.skus.hoodie, quantity: 500 },
    });
    expect(tooMany.response.status).toBe(409);
    expect(tooMany.error?.code).toBe('INSUFFICIENT_STOCK');
    const missing = await store.GET('/store/carts/{id}', {
      params: { path: { id: 'cart_01J00000000000000000000000' }, header },
    });
    expect(missing.error?.code).toBe('NOT_FOUND');

    await unwrap(
      store.PUT('/store/carts/{id}/fulfillment', {
        params: { path: { id }, header },
        body: {
          type: 'shipping',
          address: {
            name: 'Ada Lovelace',
            line1: '1 Main St',
            city: 'Portland',
            postal_code: '97201',
            country: 'US',
          },
        },
      }),
    );
    const noKey = await store.POST('/store/carts/{id}/checkout', {
      // @ts-expect-error: the document says Idempotency-Key is required, so the types do too
      params: { path: { id }, header },
      body: { payment: { provider: 'test-card', card_number: TEST_CARDS.approve }, email: 'ada@example.com' },
    });
    expect(noKey.response.status).toBe(400);
    const key = newIdempotencyKey();
    const checkout = () =>
      unwrap(
        store.POST('/store/carts/{id}/checkout', {
          params: { path: { id }, header: { ...header, 'Idempotency-Key': key } },
          body: {
            payment: { provider: 'test-card', card_number: TEST_CARDS.approve },
            email: 'ada@example.com',
          },
        }),
      );
    const first = await checkout();
    expect((await checkout()).order.id).toBe(first.order.id);

    const order = await unwrap(
      store.GET('/store/orders/{id}', {
        params: {
          path: { id: first.order.id },
          header: { 'x-plaza-order-token': first.order_token ?? undefined },
        },
      }),
    );
    expect(order.total).toBe(first.order.total);

    const orders = await unwrap(admin.GET('/admin/orders'));
    expect(orders.data.map((o) => o.id)).toContain(first.order.id);
    await unwrap(admin.GET('/admin/orders/{id}', { params: { path: { id: first.order.id } } }));
    const refused = await client({ channelKey: shop.web.key }).GET('/admin/orders');
    expect(refused.response.status).toBe(401);
    await expect(unwrap(store.GET('/store/customers/me'))).rejects.toBeInstanceOf(PlazaProblemError);

    expect(violations).toEqual([]);
    expect(contract.seen.size).toBeGreaterThanOrEqual(12);
  });
});
