/**
 * `npm run screenshots`: PNGs of the main screens of the console, the shop and the POS, for the README.
 * Starts a demo server (a fresh embedded data folder, the built UI in web/dist or PLAZA_WEB_DIST),
 * makes a little activity through the public API (orders for pickup, a loyalty customer, a POS sale),
 * logs the people in and saves 1280×800 PNGs to docs/screenshots/. A screen that does not show within
 * 20 s is reported and the script exits 1 (the other screenshots are still written).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { settle } from '../test/e2e/journeys/a11y.ts';
import {
  demoLocations,
  guestPickupOrder,
  loyaltyCustomer,
  productsStockedAt,
  registerShopper,
} from '../test/e2e/journeys/data.ts';
import { shopLogIn } from '../test/e2e/journeys/shop.ts';
import { ROOT, startUi, type UiEnv } from '../test/support/browser.ts';
import { createOwner, logInContext } from '../test/support/browser-staff.ts';

const OUT = join(ROOT, 'docs', 'screenshots');
const SIZE = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, colorScheme: 'light' as const };

const failures: string[] = [];
const shoot = async (page: Page, name: string, prepare: () => Promise<void>) => {
  const started = Date.now();
  try {
    await prepare();
    await settle(page);
    await page.screenshot({ path: join(OUT, `${name}.png`), type: 'png' });
    console.log(`  ${name}.png (${Date.now() - started} ms)`);
  } catch (e) {
    failures.push(`${name}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    console.error(`  ${name}: NOT TAKEN (${failures.at(-1)})`);
  }
};

const activity = async (ui: UiEnv) => {
  const stores = await demoLocations(ui);
  const products = await productsStockedAt(ui, stores.downtown, 4);
  const shopper = await registerShopper(ui, 'Mina', 'Park');
  // Orders for pickup at the Downtown Store, one of them ready for its customer.
  const orders = [];
  for (const p of products.slice(0, 3)) orders.push(await guestPickupOrder(ui, stores.downtown, p.sku));
  const first = orders[0];
  if (first) await ui.admin('POST', `/orders/${first.id}/pickup/ready`);
  const member = await loyaltyCustomer(ui, 250);
  // The member also bought at the Downtown counter (so their customer 360 has an order and a channel).
  const channels = await ui.admin<{ data: { id: string; name: string }[] }>(
    'GET',
    '/channels?type=pos&limit=20',
  );
  const pos = channels.data.find((c) => c.name === 'Downtown Store POS');
  const item = products[3];
  if (pos && item) {
    const sale = await ui.admin<{ id: string; total: number }>('POST', '/pos/sales', {
      channel_id: pos.id,
      customer_id: member.id,
      items: [{ code: item.sku }],
    });
    const paid = await fetch(`${ui.url}/admin/pos/sales/${sale.id}/pay`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ui.adminToken}`,
        'content-type': 'application/json',
        'idempotency-key': `screenshots-${sale.id}`,
      },
      body: JSON.stringify({ payment: { provider: 'cash', tendered: sale.total + 1000 } }),
    });
    if (!paid.ok) throw new Error(`POS sale: ${paid.status} ${await paid.text()}`);
  }
  return { stores, products, shopper, member };
};

const main = async () => {
  mkdirSync(OUT, { recursive: true });
  console.log('Starting a demo server (embedded database) and Chromium…');
  const ui = await startUi();
  try {
    const owner = await createOwner(ui, { name: 'Olivia Owner', email: 'olivia@plaza-outfitters.example' });
    const { stores, products, shopper, member } = await activity(ui);
    const product = products[0];
    if (!product) throw new Error('no product');

    const staffContext = await ui.browser.newContext(SIZE);
    await logInContext(ui, staffContext, owner);
    const consolePage = await staffContext.newPage();
    const go = (path: string) => async () => {
      await consolePage.goto(`${ui.url}${path}`);
    };
    console.log('Console:');
    await shoot(consolePage, 'console-dashboard', go('/console/dashboard'));
    await shoot(consolePage, 'console-catalog', go('/console/catalog'));
    await shoot(consolePage, 'console-orders', go('/console/orders'));
    await shoot(consolePage, 'console-pickups', go(`/console/pickups?location=${stores.downtown}`));
    await shoot(consolePage, 'console-customer-360', go(`/console/customers/${member.id}`));
    await shoot(consolePage, 'console-analytics', async () => {
      await consolePage.goto(`${ui.url}/console/analytics`);
      // the rollups of the demo's history are rebuilt by a job after the start: the screen asks again
      await consolePage.getByTestId('analytics-row').first().waitFor({ timeout: 20_000 });
    });
    await shoot(consolePage, 'console-attribution', async () => {
      await consolePage.goto(`${ui.url}/console/analytics/attribution`);
      await consolePage.getByTestId('attribution-row').first().waitFor({ timeout: 20_000 });
    });
    await shoot(consolePage, 'console-customer-value', async () => {
      await consolePage.goto(`${ui.url}/console/analytics/customers`);
      await consolePage.getByTestId('retention-row').first().waitFor({ timeout: 20_000 });
    });

    console.log('POS:');
    const posPage = await staffContext.newPage();
    await shoot(posPage, 'pos-sale', async () => {
      await posPage.goto(`${ui.url}/pos/`);
      await posPage.getByRole('button', { name: /Downtown Store/ }).click();
      for (const [i, p] of products.slice(1, 3).entries()) {
        await posPage.getByTestId('pos-scan').fill(p.sku);
        await posPage.getByTestId('pos-scan').press('Enter');
        await posPage.getByTestId('pos-line').nth(i).waitFor();
      }
      await posPage.getByTestId('pos-customer-search').fill(member.card);
      await posPage.getByTestId('pos-customer-search').press('Enter');
      await posPage.getByRole('button', { name: 'Add to sale' }).click();
      await posPage.getByText(/\d+ points/).waitFor();
    });
    await staffContext.close();

    console.log('Shop:');
    const shopContext = await ui.browser.newContext(SIZE);
    const shop = await shopContext.newPage();
    await shoot(shop, 'shop-home', async () => {
      await shop.goto(`${ui.url}/shop/`);
      await shop.getByTestId('product-card').first().waitFor();
    });
    await shoot(shop, 'shop-product', async () => {
      await shop.goto(`${ui.url}/shop/p/${product.handle}`);
      await shop.getByTestId('product-price').waitFor();
    });
    await shoot(shop, 'shop-cart', async () => {
      await shopLogIn(shop, ui, shopper);
      await shop.goto(`${ui.url}/shop/p/${product.handle}`);
      await shop.getByRole('button', { name: 'Add to cart' }).click();
      await shop.getByTestId('cart-line').first().waitFor();
    });
    await shoot(shop, 'shop-arabic', async () => {
      await shop.goto(`${ui.url}/shop/?lang=ar`);
      await shop.getByTestId('product-card').first().waitFor();
    });
    await shopContext.close();
  } finally {
    await ui.close();
  }
  if (failures.length) {
    console.error(`\n${failures.length} screenshot(s) not taken:\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  } else console.log(`\nScreenshots written to ${OUT}`);
};

await main();
