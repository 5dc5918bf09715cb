/**
 * (h) The shop's events through the real analytics.js (@segment/analytics-next, bundled in the
 * shop): a shopper logs in, opens a product, adds it, looks at the cart and starts checking out, all
 * inside the app (no reload); the events arrive in Plaza's event store, tagged with the web source
 * and channel, on the shopper's timeline (`GET /admin/customers/:id/events`), with analytics.js's own
 * context (library, page). Not one request of the page leaves Plaza's origin, and the library's
 * settings document is Plaza's.
 */
import { expect } from 'vitest';
import { type UiEnv, watchPage } from '../../support/browser.ts';
import type { PickedProduct, Shopper } from './data.ts';
import { shopLogIn } from './shop.ts';

interface StoredEvent {
  type: string;
  event: string | null;
  origin: string;
  source_id: string;
  channel_id: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  properties: Record<string, unknown>;
  context: { library?: { name?: string }; page?: { url?: string; path?: string } };
}

const WANTED = [
  'Products Searched',
  'Product List Viewed',
  'Product Clicked',
  'Product Viewed',
  'Product Added',
  'Cart Viewed',
  'Checkout Started',
];

export const shopEventsThroughAnalyticsJs = async (
  ui: UiEnv,
  shopper: Shopper,
  product: PickedProduct,
): Promise<void> => {
  const origin = new URL(ui.url).origin;
  const channels = await ui.admin<{ data: { id: string; type: string; name: string }[] }>(
    'GET',
    '/channels?type=web&limit=50',
  );
  const web = channels.data.find((c) => c.name === 'Plaza Outfitters Web');
  if (!web) throw new Error('the demo web channel is missing');
  const source = await ui.admin<{ key: string; source_id: string }>(
    'GET',
    `/event-sources/write-key?channel_id=${web.id}&kind=web`,
  );

  const context = await ui.context('desktop');
  try {
    const page = await context.newPage();
    const watched = watchPage(page);
    const outside: string[] = [];
    const settings: string[] = [];
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith('data:') && new URL(url).origin !== origin) outside.push(url);
      if (/^\/v1\/projects\/[^/]+\/settings$/.test(new URL(url).pathname)) settings.push(url);
    });

    const began = Date.now();
    await page.goto(`${ui.url}/shop/login`);
    expect(await page.locator('meta[name="plaza-write-key"]').getAttribute('content')).toBe(source.key);
    await shopLogIn(page, ui, shopper);
    // Within the app from here (no reload): the search box, a card, the add button, the drawer, checkout.
    const search = page.locator('input[name="q"]').first();
    await search.fill(product.title);
    await search.press('Enter');
    await page.getByTestId('product-card').filter({ hasText: product.title }).first().click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 })
      .toBe(product.title);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByTestId('cart-line').filter({ hasText: product.title }).waitFor();
    await page.getByRole('button', { name: 'Checkout' }).click();
    await page.waitForURL(/\/shop\/checkout/);
    const clicked = Date.now();

    let events: StoredEvent[] = [];
    const seen = async () => {
      const r = await ui.admin<{ data: StoredEvent[] }>(
        'GET',
        `/customers/${shopper.id}/events?origin=client&limit=100`,
      );
      events = r.data;
      const names = new Set(events.filter((e) => e.type === 'track').map((e) => e.event));
      return {
        tracks: WANTED.filter((n) => names.has(n)),
        identify: events.some((e) => e.type === 'identify' && e.user_id === shopper.id),
        pages: events.some((e) => e.type === 'page' && e.context.page?.path === '/shop/checkout'),
        // Sent before the login, by the anonymous device: joined to the shopper once identified.
        beforeLogin: events.some((e) => e.type === 'page' && e.context.page?.path === '/shop/login'),
      };
    };
    await expect
      .poll(seen, { timeout: 15_000, interval: 200 })
      .toEqual({ tracks: WANTED, identify: true, pages: true, beforeLogin: true });
    const stored = Date.now();

    for (const e of events) {
      expect(e.source_id).toBe(source.source_id);
      expect(e.channel_id).toBe(web.id);
      expect(e.context.library?.name).toBe('analytics.js');
      expect(e.context.page?.url ?? '').toMatch(new RegExp(`^${origin}/shop([/?]|$)`));
    }
    const added = events.find((e) => e.event === 'Product Added');
    expect(added?.properties).toMatchObject({
      sku: product.sku,
      name: product.title,
      quantity: 1,
      price: product.amount / 100,
      currency: 'USD',
    });
    const viewed = events.find((e) => e.event === 'Product Viewed');
    expect(viewed?.properties).toMatchObject({ sku: product.sku, name: product.title });
    const checkout = events.find((e) => e.event === 'Checkout Started');
    expect(checkout?.properties.products).toEqual([
      expect.objectContaining({ sku: product.sku, quantity: 1 }),
    ]);
    // One device: analytics.js's anonymous id is the one the shop's API calls carry.
    const device = (await context.storageState()).origins
      .find((o) => o.origin === origin)
      ?.localStorage.find((i) => i.name === 'plaza.anonymous_id')?.value;
    expect(device).toMatch(/^anon_/);
    expect(events.filter((e) => e.anonymous_id !== device)).toEqual([]);

    expect(settings.length).toBeGreaterThan(0);
    expect(outside).toEqual([]);
    expect(watched.problems).toEqual([]);
    console.log(
      `[e2e] analytics: shop journey ${clicked - began} ms, its events stored ${stored - clicked} ms later`,
    );
  } finally {
    await context.close();
  }
};
