/**
 * (m) Measuring in the console. The test server's demo has no order history (PLAZA_DEMO_HISTORY=0), so
 * the journey first makes one through the API: a registered shopper arrives from an ad (a page view
 * with the UTM medium cpc and campaign spring, sent with an event source's write key), buys online (a
 * pickup at the Downtown Store) and at the Downtown counter. Then an owner opens Analytics →
 * Attribution and sees the cpc medium credited by the six models side by side (chart, legend, basis),
 * then the spring campaign, and downloads the CSV; on Campaigns and media enters a cost for
 * utm:spring (a refused amount first: the API's field error shows under its field), sees it in the
 * campaign's row and the cost list, and deletes it; on Customer value sees the shopper among the
 * customers who bought online and in store, the retention heat map and the RFM groups, downloads the
 * CSV and narrows it to a segment; the settings show the lookback and the half-life; in Arabic the
 * screen is right-to-left.
 */
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { expect } from 'vitest';
import { type UiEnv, watchPage } from '../../support/browser.ts';
import { logInContext, type StaffAccount } from '../../support/browser-staff.ts';
import { type Locations, type PickedProduct, registerShopper, stockAt, unique } from './data.ts';

interface AttributionAnswer {
  rows: { key: string; credits: { last_touch: { conversions: number } } }[];
}
interface CustomersAnswer {
  by_mix: { key: string; customers: number }[];
}

/** A page view from an ad (UTM cpc / spring) by a known customer, through a new web source's write key. */
const adTouch = async (ui: UiEnv, customerId: string): Promise<void> => {
  const source = await ui.admin<{ id: string }>('POST', '/event-sources', {
    name: `E2E ads ${unique()}`,
    kind: 'web',
  });
  const { key } = await ui.admin<{ key: string }>('POST', `/event-sources/${source.id}/write-keys`);
  const res = await fetch(`${ui.url}/v1/page`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
    },
    body: JSON.stringify({
      userId: customerId,
      name: 'Home',
      context: { campaign: { source: 'search', medium: 'cpc', name: 'spring' } },
    }),
  });
  if (!res.ok) throw new Error(`page event: ${res.status} ${await res.text()}`);
};

/** The shopper's web order for pickup at the Downtown Store (paid there), logged in. */
const webOrder = async (ui: UiEnv, shopper: { email: string; password: string }, sku: string, at: string) => {
  const key = ui.keys.web;
  const { token } = await ui.store<{ token: string }>(key, 'POST', '/auth/token', {
    email: shopper.email,
    password: shopper.password,
  });
  const auth = { authorization: `Bearer ${token}` };
  const created = await ui.store<{ cart: { id: string }; cart_token: string | null }>(
    key,
    'POST',
    '/carts',
    { items: [{ sku, quantity: 1 }] },
    auth,
  );
  const headers = { ...auth, ...(created.cart_token ? { 'x-plaza-cart-token': created.cart_token } : {}) };
  const id = created.cart.id;
  await ui.store(key, 'PUT', `/carts/${id}/fulfillment`, { type: 'pickup', location_id: at }, headers);
  await ui.store(
    key,
    'POST',
    `/carts/${id}/checkout`,
    { payment: { provider: 'pay-in-store' } },
    { ...headers, 'idempotency-key': `e2e-measure-${id}` },
  );
};

/** A sale to the customer at the Downtown counter, paid cash. */
const counterSale = async (ui: UiEnv, customerId: string, sku: string): Promise<void> => {
  const channels = await ui.admin<{ data: { id: string; name: string }[] }>(
    'GET',
    '/channels?type=pos&limit=20',
  );
  const pos = channels.data.find((c) => c.name === 'Downtown Store POS');
  if (!pos) throw new Error('the demo channel Downtown Store POS is missing');
  const sale = await ui.admin<{ id: string; total: number }>('POST', '/pos/sales', {
    channel_id: pos.id,
    customer_id: customerId,
    items: [{ code: sku }],
  });
  const paid = await fetch(`${ui.url}/admin/pos/sales/${sale.id}/pay`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${ui.adminToken}`,
      'content-type': 'application/json',
      'idempotency-key': `e2e-measure-${sale.id}`,
    },
    body: JSON.stringify({ payment: { provider: 'cash', tendered: sale.total } }),
  });
  if (!paid.ok) throw new Error(`POS sale: ${paid.status} ${await paid.text()}`);
};

/** The lines of a downloaded CSV file. */
const csvLines = async (download: Download): Promise<string[]> =>
  readFileSync(await download.path(), 'utf8')
    .trim()
    .split(/\r?\n/);

const download = async (page: Page, testId: string): Promise<Download> => {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return d;
};

export const analyticsMeasure = async (
  ui: UiEnv,
  owner: StaffAccount,
  stores: Locations,
  product: PickedProduct,
): Promise<void> => {
  const shopper = await registerShopper(ui, 'Omni', 'Channel');
  await adTouch(ui, shopper.id);
  await stockAt(ui, product.sku, stores.downtown, 2);
  await webOrder(ui, shopper, product.sku, stores.downtown);
  await counterSale(ui, shopper.id, product.sku);
  // The touch cursor and the day rebuilds run in the background: the reports have them within seconds.
  await expect
    .poll(
      async () => {
        const a = await ui.admin<AttributionAnswer>('GET', '/analytics/attribution');
        return a.rows.find((r) => r.key === 'cpc')?.credits.last_touch.conversions ?? 0;
      },
      { timeout: 60_000, interval: 500 },
    )
    .toBeGreaterThanOrEqual(2);
  await expect
    .poll(
      async () => {
        const c = await ui.admin<CustomersAnswer>('GET', '/analytics/customers?currency=USD');
        return c.by_mix.find((g) => g.key === 'both')?.customers ?? 0;
      },
      { timeout: 60_000, interval: 500 },
    )
    .toBeGreaterThanOrEqual(1);

  const context = await ui.context('desktop');
  try {
    await logInContext(ui, context, owner);
    const page = await context.newPage();
    const watched = watchPage(page);
    await page.goto(`${ui.url}/console/analytics`);
    const tabs = page.getByRole('navigation', { name: 'Analytics', exact: true });

    // Attribution: the cpc medium, credited by every model; the chart, the basis and the legend.
    await tabs.getByRole('link', { name: 'Attribution' }).click();
    await page.waitForURL(/\/console\/analytics\/attribution$/);
    await expect.poll(() => page.getByTestId('attribution-row-key').allTextContents()).toContain('cpc');
    const cpc = page.getByTestId('attribution-row').filter({ hasText: 'cpc' });
    expect(await cpc.getByTestId('attribution-sales-last_touch').textContent()).toBe('2');
    expect(await cpc.getByTestId('attribution-sales-data_driven').count()).toBe(1);
    expect(await page.getByTestId('attribution-chart').locator('rect').count()).toBeGreaterThanOrEqual(6);
    expect(await page.getByTestId('attribution-legend').locator('dt').count()).toBe(6);
    expect(await page.getByTestId('attribution-lookback').textContent()).toBe('30 days');
    expect(await page.getByTestId('attribution-half-life').textContent()).toBe('168 hours');

    // By campaign: the ad campaign under its UTM name; the CSV of the same query.
    await page.getByTestId('attribution-by').selectOption('campaign');
    await page.waitForURL(/by=campaign/);
    await expect.poll(() => page.getByTestId('attribution-row-key').allTextContents()).toContain('spring');
    const attributionCsv = await download(page, 'attribution-csv');
    expect(attributionCsv.suggestedFilename()).toMatch(
      /^attribution-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const lines = await csvLines(attributionCsv);
    expect(lines[0]?.startsWith('key,currency,model,')).toBe(true);
    expect(lines.some((l) => l.startsWith('utm:spring,USD,last_touch,'))).toBe(true);

    // Campaigns and media: a cost for utm:spring, refused first (an amount above the API's bound).
    await tabs.getByRole('link', { name: 'Campaigns and media' }).click();
    await page.waitForURL(/\/console\/analytics\/campaigns$/);
    await expect.poll(() => page.getByTestId('campaign-row-name').allTextContents()).toContain('spring');
    await page.getByTestId('cost-campaign').selectOption('utm');
    await page.getByTestId('cost-utm').fill('spring');
    await page.getByTestId('cost-medium').fill('cpc');
    await page.getByTestId('cost-kind').selectOption('ad_spend');
    await page.getByTestId('cost-amount').fill('99999999999999');
    await page.getByTestId('cost-currency').fill('USD');
    await page.getByTestId('cost-note').fill('Search ads, first week');
    await page.getByTestId('cost-save').click();
    await expect.poll(() => page.getByTestId('cost-amount').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('cost-row').count()).toBe(0);
    await page.getByTestId('cost-amount').fill('150');
    await page.getByTestId('cost-save').click();
    await expect.poll(() => page.getByTestId('cost-row').count()).toBe(1);
    expect(await page.getByTestId('cost-amount').getAttribute('aria-invalid')).toBeNull();
    const cost = page.getByTestId('cost-row').first();
    expect(await cost.getByTestId('cost-row-campaign').textContent()).toBe('spring (UTM)');
    expect(await cost.getByTestId('cost-row-amount').textContent()).toBe('$150.00');
    // the campaign's row counts it, with a return on ad spend
    const spring = page
      .getByTestId('campaign-row')
      .filter({ has: page.getByTestId('campaign-row-name').getByText('spring', { exact: true }) })
      .filter({ has: page.getByTestId('campaign-row-medium').getByText('cpc', { exact: true }) });
    await expect.poll(() => spring.getByTestId('campaign-row-cost').first().textContent()).toBe('$150.00');
    expect(await spring.getByTestId('campaign-row-roas').first().textContent()).toMatch(/^[\d.]+×$/);
    // deleted after a confirmation: the list is empty again
    await cost.getByTestId('cost-delete').click();
    await page.getByTestId('cost-delete-confirm').click();
    await expect.poll(() => page.getByTestId('cost-row').count()).toBe(0);
    await expect.poll(() => spring.getByTestId('campaign-row-cost').first().textContent()).toBe('—');

    // Customer value: the shopper among those who bought online and in store; heat map, RFM, CSV.
    await tabs.getByRole('link', { name: 'Customer value' }).click();
    await page.waitForURL(/\/console\/analytics\/customers$/);
    await expect
      .poll(() => page.getByTestId('value-mix-group').allTextContents())
      .toContain('Online and in store');
    const both = page.getByTestId('value-mix-row').filter({ hasText: 'Online and in store' });
    expect(Number(await both.getByTestId('value-mix-customers').textContent())).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('value-headline').count()).toBe(1);
    const heat = page.getByTestId('retention-row').filter({ hasText: 'Online and in store' });
    expect(await heat.getByTestId('retention-cell').count()).toBe(13);
    expect(await heat.getByTestId('retention-cell').first().textContent()).toBe('100%');
    expect(await page.getByTestId('rfm-row').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('value-model').count()).toBe(1);
    const valueCsv = await csvLines(await download(page, 'value-csv'));
    expect(valueCsv[0]?.startsWith('grouping,key,')).toBe(true);
    // the same for the members of a segment (journey (j) made one)
    const segment = page.getByTestId('value-segment');
    await expect.poll(() => segment.locator('option').count()).toBeGreaterThan(1);
    await segment.selectOption({ index: 1 });
    await page.waitForURL(/segment=seg_/);
    await expect
      .poll(() => page.getByTestId('value-scope').textContent())
      .toContain('Members of the segment');
    await segment.selectOption('');
    await expect.poll(() => page.getByTestId('value-mix-row').count()).toBeGreaterThanOrEqual(2);

    // Settings: the attribution lookback and the time-decay half-life.
    await tabs.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(/\/console\/analytics\/settings$/);
    await expect.poll(() => page.getByTestId('analytics-lookback').inputValue()).toBe('30');
    expect(await page.getByTestId('analytics-half-life').inputValue()).toBe('168');

    // In Arabic: right-to-left, the same groups, Arabic-Indic digits.
    await page.goto(`${ui.url}/console/analytics/customers?lang=ar`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await expect.poll(() => page.getByTestId('value-mix-row').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('value-mix-customers').first().textContent()).toMatch(/^[٠-٩٬]+$/);
    expect(await page.getByTestId('retention-row').count()).toBeGreaterThanOrEqual(2);
    expect(watched.problems).toEqual([]);
  } finally {
    await context.close();
  }
};
