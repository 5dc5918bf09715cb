import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { newLocation, newSku, stock } from '../../../test/support/stock.ts';
import { newId } from '../../platform/ids.ts';
import { formatMoney } from '../../platform/money.ts';
import { publicBaseUrl } from './links.ts';
import { recipientContexts } from './templates.ts';

let t: TestApp;
let web: { id: string; key: string };
const ids = { storeA: '', storeB: '', product: '', handle: '', ada: '', bob: '', cy: '', big: '', small: '' };

const ok = <T>(r: { status: number; body: T; text: string }, status = 201): T => {
  if (r.status !== status) throw new Error(`${r.status} ${r.text}`);
  return r.body;
};

const customer = async (body: Record<string, unknown>) =>
  ok(await t.admin<{ id: string }>('POST', '/customers', body)).id;

beforeAll(async () => {
  t = await createTestApp();
  web = await t.channel('web');
  ids.storeA = await newLocation(t, { name: 'Store A' });
  ids.storeB = await newLocation(t, { name: 'Store B' });
  const [big, small] = [newSku('RUN'), newSku('RUN')];
  const p = ok(
    await t.admin<{ id: string; handle: string }>('POST', '/products', {
      title: 'Trail Runner',
      status: 'published',
      image_urls: ['https://cdn.test/runner.png'],
      option_names: ['size'],
      variants: [
        { sku: big, title: '44', options: { size: '44' }, prices: [{ channel_id: web.id, amount: 8999 }] },
        { sku: small, title: '38', options: { size: '38' }, prices: [{ channel_id: web.id, amount: 7999 }] },
      ],
    }),
  );
  ids.product = p.id;
  ids.big = big;
  ids.small = small;
  ids.handle = p.handle;
  // Store A: 3 + 1 units over both sizes; store B: none
  await stock(t, big, ids.storeA, 3);
  await stock(t, small, ids.storeA, 1);
  ids.ada = await customer({
    email: 'ada@example.com',
    first_name: '<b>Ada</b>',
    preferred_location_id: ids.storeA,
  });
  ids.bob = await customer({
    email: 'bob@example.com',
    first_name: 'Bob',
    language: 'fr',
    preferred_location_id: ids.storeB,
  });
  ids.cy = await customer({ phone: '+15035550100', first_name: 'Cy' });
  const now = t.clock.now();
  const trait = newId('ctr');
  await t.deps.db.query(
    `INSERT INTO customer_traits (customer_id, key, value, observed_at, updated_at)
     VALUES ($1, 'shoe_size', '42', $2, $2), ($1, 'tier', '"gold"', $2, $2)`,
    [ids.ada, now],
  );
  await t.deps.db.query(
    `INSERT INTO computed_traits (id, key, name, definition, created_at, updated_at)
     VALUES ($1, 'orders_90d', 'Orders in 90 days', '{}', $2, $2)`,
    [trait, now],
  );
  await t.deps.db.query(
    `INSERT INTO customer_computed_traits (trait_id, customer_id, value, computed_at) VALUES ($1, $2, '4', $3)`,
    [trait, ids.ada, now],
  );
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('recipient contexts', () => {
  it('has the profile, traits, computed traits, store and products in stock at that store', async () => {
    const missing = 'cus_01JAAAAAAAAAAAAAAAAAAAAAAA';
    const all = await recipientContexts(t.deps.db, t.deps, [ids.ada, ids.bob, ids.cy, missing], {
      productIds: [ids.product],
      campaign: { id: 'cmp_x', name: 'Spring' },
    });
    expect([...all.keys()].sort()).toEqual([ids.ada, ids.bob, ids.cy].sort());
    const shop = `${publicBaseUrl(t.deps)}/shop`;
    const product = {
      id: ids.product,
      title: 'Trail Runner',
      url: `${shop}/p/${ids.handle}`,
      image_url: 'https://cdn.test/runner.png',
    };
    expect(all.get(ids.ada)).toEqual({
      customer: {
        id: ids.ada,
        first_name: '<b>Ada</b>',
        last_name: null,
        email: 'ada@example.com',
        locale: null,
        traits: { shoe_size: 42, tier: 'gold' },
        computed: { orders_90d: 4 },
      },
      store: { id: ids.storeA, name: 'Store A', city: 'Portland' },
      products: [{ ...product, price: '$79.99', in_stock_at_store: true, available_at_store: 4 }],
      offer: null,
      campaign: { id: 'cmp_x', name: 'Spring' },
      links: { unsubscribe: null, shop },
    });
    const bob = all.get(ids.bob);
    expect(bob?.store?.id).toBe(ids.storeB);
    expect(bob?.customer.traits).toEqual({});
    // Bob reads French: the price in the channel's currency, formatted his way
    expect(bob?.products).toEqual([
      { ...product, price: formatMoney(7999, 'USD', 'fr'), in_stock_at_store: false, available_at_store: 0 },
    ]);
    expect(all.get(ids.cy)?.store).toBeNull();
    expect(all.get(ids.cy)?.products[0]?.in_stock_at_store).toBe(false);
  });

  it('follows stock: reserved units are not available, and the last one out means not in stock', async () => {
    const availableAtA = async () =>
      (await recipientContexts(t.deps.db, t.deps, [ids.ada], { productIds: [ids.product] })).get(ids.ada)
        ?.products[0];
    const hold = async (sku: string, quantity: number) =>
      ok(
        await t.admin('POST', '/inventory/reservations', {
          lines: [{ sku, location_id: ids.storeA, quantity }],
        }),
      );
    await hold(ids.big, 3);
    expect(await availableAtA()).toMatchObject({ in_stock_at_store: true, available_at_store: 1 });
    await hold(ids.small, 1);
    expect(await availableAtA()).toMatchObject({ in_stock_at_store: false, available_at_store: 0 });
    await stock(t, ids.small, ids.storeA, 2);
    expect(await availableAtA()).toMatchObject({ in_stock_at_store: true, available_at_store: 2 });
    const none = await recipientContexts(t.deps.db, t.deps, [ids.ada], { productIds: [] });
    expect(none.get(ids.ada)?.products).toEqual([]);
  });
});

describe('/admin/templates', () => {
  it('check answers 200 with the problems', async () => {
    const r = await t.admin<{ problems: unknown[] }>('POST', '/templates/check', {
      content: { email: { subject: 'Hi {{ customer.frist_name }}', html: '<p>x</p>' }, sms: { text: 'ok' } },
    });
    expect(r.status).toBe(200);
    expect(r.body.problems).toEqual([
      {
        medium: 'email',
        field: 'subject',
        message: 'unknown variable customer.frist_name (did you mean first_name?)',
        line: 1,
        column: 7,
      },
    ]);
    const unknownField = await t.admin('POST', '/templates/check', { content: { sms: { subject: 'x' } } });
    expect(unknownField.status).toBe(400);
  });

  it('previews for a customer: escaped in HTML, products in stock at their store', async () => {
    const html =
      '<p>Hi {{ customer.first_name }}</p>{% for p in products %}{% if p.in_stock_at_store %}' +
      '<p>{{ p.title }} ({{ p.price }}) is in stock at {{ store.name }}</p>{% else %}<p>{{ p.title }} online</p>{% endif %}{% endfor %}';
    const r = await t.admin<{ sample: boolean; message: { subject: string; html: string; text: string } }>(
      'POST',
      '/templates/preview',
      {
        medium: 'email',
        content: { subject: 'For {{ customer.first_name }}', html },
        customer_id: ids.ada,
        product_ids: [ids.product],
      },
    );
    expect(r.status).toBe(200);
    expect(r.body.sample).toBe(false);
    expect(r.body.message.subject).toBe('For <b>Ada</b>');
    expect(r.body.message.html).toContain('<p>Hi &lt;b&gt;Ada&lt;/b&gt;</p>');
    expect(r.body.message.html).toContain('Trail Runner ($79.99) is in stock at Store A');
    expect(r.body.message.text).toContain('Hi <b>Ada</b>\n\nTrail Runner ($79.99) is in stock at Store A');
    const bob = await t.admin<{ message: { text: string } }>('POST', '/templates/preview', {
      medium: 'sms',
      content: {
        text: '{{ customer.first_name }}: {% for p in products %}{% if p.in_stock_at_store %}in store{% else %}{{ p.title }} online{% endif %}{% endfor %}',
      },
      customer_id: ids.bob,
      product_ids: [ids.product],
    });
    expect(bob.body.message.text).toBe('Bob: Trail Runner online');
  });

  it('previews for the sample customer with the traits the template uses', async () => {
    const r = await t.admin<{ sample: boolean; customer_id: null; message: { title: string; text: string } }>(
      'POST',
      '/templates/preview',
      {
        medium: 'push',
        content: {
          title: '{{ customer.first_name }}, size {{ customer.traits.shoe_size }}',
          body: '{{ offer.code }}',
        },
      },
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ sample: true, customer_id: null });
    expect(r.body.message).toEqual({ title: 'Ada, size ‹shoe_size›', text: 'SAMPLE-CODE' });
  });

  it('answers 422 TEMPLATE_INVALID with line and column, and 404 for an unknown customer', async () => {
    const bad = await t.admin<{ errors: unknown[] }>('POST', '/templates/preview', {
      medium: 'sms',
      content: { text: 'Hi\n{% if customer.first_name %}there' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('TEMPLATE_INVALID');
    expect(bad.body.errors).toEqual([
      {
        path: 'content.sms.text',
        medium: 'sms',
        field: 'text',
        message: 'tag {% if customer.first_name %} not closed',
        line: 2,
        column: 1,
      },
    ]);
    const nobody = await t.admin('POST', '/templates/preview', {
      medium: 'sms',
      content: { text: 'x' },
      customer_id: 'cus_01JAAAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(nobody.status).toBe(404);
  });

  it('lists the variables and filters', async () => {
    const r = await t.admin<{
      filters: string[];
      variables: { name: string }[];
      fields: Record<string, string[]>;
    }>('GET', '/templates/reference');
    expect(r.status).toBe(200);
    expect(r.body.filters).toEqual(expect.arrayContaining(['money', 'upcase', 'default', 'escape']));
    expect(r.body.variables.map((v) => v.name)).toContain('products[].in_stock_at_store');
    expect(r.body.fields.sms).toEqual(['text']);
  });
});
