/**
 * (l) Analytics in the console: after a web order for pickup and a counter sale at the Downtown Store
 * (the test server's demo has no order history: PLAZA_DEMO_HISTORY=0), an owner opens Analytics →
 * Channels and stores and sees the rows of those channels with their orders (the rollups are rebuilt
 * by a background job: the screen asks again until they are there), groups the rows by location, enters an exchange rate (a refused one first: the API's
 * field error shows under its field), sees the net converted into the report currency, downloads the
 * CSV of the same report; the screen in Arabic is right-to-left with Arabic-Indic digits.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { type UiEnv, watchPage } from '../../support/browser.ts';
import { logInContext, type StaffAccount } from '../../support/browser-staff.ts';
import { guestPickupOrder, type Locations, type PickedProduct, stockAt } from './data.ts';

const SOLD_ON = ['Plaza Outfitters Web', 'Downtown Store POS'];
const ordersOf = (text: string): number => Number(text.replace(/[^\d]/g, '') || '0');

/** A web order for pickup at the Downtown Store and a walk-in sale paid cash at its counter. */
const salesAtDowntown = async (ui: UiEnv, stores: Locations, product: PickedProduct): Promise<void> => {
  await stockAt(ui, product.sku, stores.downtown, 2);
  await guestPickupOrder(ui, stores.downtown, product.sku);
  const channels = await ui.admin<{ data: { id: string; name: string }[] }>(
    'GET',
    '/channels?type=pos&limit=20',
  );
  const pos = channels.data.find((c) => c.name === 'Downtown Store POS');
  if (!pos) throw new Error('the demo channel Downtown Store POS is missing');
  const sale = await ui.admin<{ id: string; total: number }>('POST', '/pos/sales', {
    channel_id: pos.id,
    items: [{ code: product.sku }],
  });
  const paid = await fetch(`${ui.url}/admin/pos/sales/${sale.id}/pay`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${ui.adminToken}`,
      'content-type': 'application/json',
      'idempotency-key': `e2e-analytics-${sale.id}`,
    },
    body: JSON.stringify({ payment: { provider: 'cash', tendered: sale.total } }),
  });
  if (!paid.ok) throw new Error(`POS sale: ${paid.status} ${await paid.text()}`);
};

/** `product`: a demo product (sold on every channel, as products made by other journeys may not be). */
export const analyticsConsole = async (
  ui: UiEnv,
  owner: StaffAccount,
  stores: Locations,
  product: PickedProduct,
): Promise<void> => {
  await salesAtDowntown(ui, stores, product);
  const context = await ui.context('desktop');
  try {
    await logInContext(ui, context, owner);
    const page = await context.newPage();
    const watched = watchPage(page);
    await page.goto(`${ui.url}/console/`);
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Analytics', exact: true })
      .click();
    await page.waitForURL(/\/console\/analytics$/);

    // The rows of the web and the Downtown counter channels, with orders (waiting for the rollups).
    const byChannel = async () => {
      const names = await page.getByTestId('analytics-row-channel').allTextContents();
      const orders = await page.getByTestId('analytics-row-orders').allTextContents();
      return Object.fromEntries(names.map((n, i) => [n, ordersOf(orders[i] ?? '')]));
    };
    const sold = async () => {
      const rows = await byChannel();
      return SOLD_ON.filter((name) => (rows[name] ?? 0) > 0);
    };
    try {
      await expect.poll(sold, { timeout: 45_000 }).toEqual(SOLD_ON);
    } catch (e) {
      // what the page and the API say, for the failure message
      const { proc } = ui.plaza;
      const api = await ui.admin<{ rows: unknown[]; freshness: unknown }>('GET', '/analytics/channels').then(
        (r) => `${r.rows.length} rows, freshness ${JSON.stringify(r.freshness)}`,
        (err: unknown) =>
          `${String(err)}; server exit ${proc.exitCode} ${proc.signalCode}: ${ui.plaza.output().slice(-2000)}`,
      );
      const shown = await page.locator('main').textContent();
      throw new Error(`no rows: page ${page.url()} shows ${shown?.slice(0, 600)}; the API: ${api}`, {
        cause: e,
      });
    }
    expect(await page.getByTestId('analytics-row-net-report').count()).toBe(0);

    // Rows per channel and location: the stores are named.
    await page.getByTestId('analytics-group-by').selectOption('location');
    await page.waitForURL(/by=location/);
    await expect
      .poll(() => page.getByTestId('analytics-row-location').allTextContents())
      .toContain('Downtown Store');

    // An exchange rate: refused first (a currency into itself), with the API's message under the field.
    await page.getByRole('link', { name: 'Exchange rates' }).click();
    await page.waitForURL(/\/console\/analytics\/rates$/);
    await expect.poll(() => page.getByTestId('analytics-rate-currency').inputValue()).toBe('USD');
    await page.getByTestId('analytics-rate-day').fill('2020-01-01');
    await page.getByTestId('analytics-rate-report-currency').fill('USD');
    await page.getByTestId('analytics-rate-rate').fill('1');
    await page.getByTestId('analytics-rate-save').click();
    await expect
      .poll(() => page.getByTestId('analytics-rate-currency').getAttribute('aria-invalid'))
      .toBe('true');
    expect(await page.getByTestId('analytics-rate-form').textContent()).toContain('report currency itself');
    await page.getByTestId('analytics-rate-report-currency').fill('EUR');
    await page.getByTestId('analytics-rate-rate').fill('0.92');
    await page.getByTestId('analytics-rate-save').click();
    await expect
      .poll(() => page.getByTestId('analytics-rate-row').filter({ hasText: 'EUR' }).count())
      .toBeGreaterThan(0);
    expect(await page.getByTestId('analytics-rate-currency').getAttribute('aria-invalid')).toBeNull();

    // The report in EUR: every row's net converted (the rate applies from 2020 on, so no day misses one).
    await page.getByRole('link', { name: 'Channels and stores' }).click();
    await page.waitForURL(/\/console\/analytics$/);
    await page.getByTestId('analytics-report-currency').selectOption('EUR');
    await page.waitForURL(/in=EUR/);
    const converted = page.getByTestId('analytics-row-net-report');
    await expect.poll(() => converted.count()).toBeGreaterThanOrEqual(SOLD_ON.length);
    await expect
      .poll(async () => (await converted.allTextContents()).every((v) => v.includes('€')))
      .toBe(true);
    expect(await page.getByTestId('analytics-missing-rates').count()).toBe(0);

    // The CSV of the same report.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('analytics-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^channels-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split(/\r?\n/);
    const header = csv[0] ?? '';
    expect(header.startsWith('channel_id,location_id,currency,')).toBe(true);
    for (const column of ['orders', 'gross', 'net', 'net_report', 'customers_new', 'click_collect_share'])
      expect(header.split(','), header).toContain(column);
    expect(csv.length).toBeGreaterThan(1);

    // In Arabic: right-to-left, the same rows, Arabic-Indic digits.
    await page.goto(`${ui.url}/console/analytics?lang=ar`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('التحليلات');
    await expect.poll(() => page.getByTestId('analytics-row').count()).toBeGreaterThanOrEqual(SOLD_ON.length);
    expect(await page.getByTestId('analytics-row-orders').first().textContent()).toMatch(/^[٠-٩٬]+$/);
    expect(watched.problems).toEqual([]);
  } finally {
    await context.close();
  }
};
