/**
 * (n) Forecasting and replenishment in the console. The test server's demo has no order history
 * (PLAZA_DEMO_HISTORY=0) and a run forecasts from the days before "today", so every forecast is zero
 * and nothing is ever suggested. The journey first makes one day of history through the API: the
 * Riverside Store is moved to the time zone Etc/GMT+12 and forecasting's "today" to Pacific/Kiritimati
 * (26 hours ahead of it, so the store's today is always forecasting's yesterday), then a SKU the
 * warehouse holds plenty of is received at Riverside and sold out there at the counter. An owner opens
 * Forecasting, asks for a run ("Run now": the worker runs everything) and sees it complete; filters the
 * SKU, opens its chart at Riverside (the sale day marked as a stock-out), forecasts the SKU again and
 * reads the model and its fallback; in Replenishment accepts the suggested transfer from the warehouse
 * and follows the link to it (checked through the API); sees the SKU in the at-risk list; in Arabic the
 * area is right-to-left. The time zones are put back at the end, whatever happened.
 */
import { expect } from 'vitest';
import { type UiEnv, watchPage } from '../../support/browser.ts';
import { logInContext, type StaffAccount } from '../../support/browser-staff.ts';
import { type Locations, stockAt } from './data.ts';

/** The store's zone and forecasting's: 26 hours apart, so a sale today at the store is history. */
const STORE_ZONE = 'Etc/GMT+12';
const FORECAST_ZONE = 'Pacific/Kiritimati';

interface Run {
  scope: 'all' | 'sku';
  status: 'running' | 'completed' | 'failed';
  first_day: string;
  started_at: string;
}
interface Level {
  sku: string;
  available: number;
}
interface Transfer {
  from_location_id: string;
  to_location_id: string;
  status: string;
  lines: { sku: string; quantity: number }[];
}

const dayIn = (zone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());

const runs = async (ui: UiEnv): Promise<Run[]> =>
  (await ui.admin<{ data: Run[] }>('GET', '/forecasts/runs?limit=20')).data;

/** A SKU the warehouse has at least 20 of and no other journey touched. */
const pickSku = async (ui: UiEnv, warehouse: string, avoid: readonly string[]): Promise<string> => {
  const levels = await ui.admin<{ data: Level[] }>(
    'GET',
    `/inventory/levels?location_id=${warehouse}&limit=200`,
  );
  const sku = levels.data.find((l) => l.available >= 20 && !avoid.includes(l.sku))?.sku;
  if (!sku) throw new Error('no SKU with stock at the demo warehouse');
  return sku;
};

/** Receives a few units of the SKU at the store, then sells everything it has there at its counter. */
const sellOut = async (ui: UiEnv, sku: string, store: string, posName: string): Promise<number> => {
  await stockAt(ui, sku, store, 6);
  const level = await ui.admin<{ data: Level[] }>(
    'GET',
    `/inventory/levels?location_id=${store}&sku=${encodeURIComponent(sku)}&limit=1`,
  );
  const quantity = level.data[0]?.available ?? 0;
  const channels = await ui.admin<{ data: { id: string; name: string }[] }>(
    'GET',
    '/channels?type=pos&limit=20',
  );
  const pos = channels.data.find((c) => c.name === posName);
  if (!pos) throw new Error(`the demo channel ${posName} is missing`);
  const sale = await ui.admin<{ id: string; total: number }>('POST', '/pos/sales', {
    channel_id: pos.id,
    items: [{ code: sku, quantity }],
  });
  const paid = await fetch(`${ui.url}/admin/pos/sales/${sale.id}/pay`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${ui.adminToken}`,
      'content-type': 'application/json',
      'idempotency-key': `e2e-forecast-${sale.id}`,
    },
    body: JSON.stringify({ payment: { provider: 'cash', tendered: sale.total } }),
  });
  if (!paid.ok) throw new Error(`POS sale: ${paid.status} ${await paid.text()}`);
  return quantity;
};

export const forecastingJourney = async (
  ui: UiEnv,
  owner: StaffAccount,
  stores: Locations,
  avoid: readonly string[],
): Promise<void> => {
  const warehouse = stores.byName['Portland Warehouse'];
  if (!warehouse) throw new Error('the demo warehouse is missing');
  // The run the server makes at its start is over (a run started now would race the journey's).
  await expect
    .poll(async () => (await runs(ui)).filter((r) => r.status === 'running').length, {
      timeout: 120_000,
      interval: 500,
    })
    .toBe(0);
  const riverside = await ui.admin<{ timezone: string }>('GET', `/locations/${stores.riverside}`);
  const sku = await pickSku(ui, warehouse, avoid);
  const context = await ui.context('desktop');
  try {
    await ui.admin('PATCH', `/locations/${stores.riverside}`, { timezone: STORE_ZONE });
    await ui.admin('PATCH', '/forecasts/settings', { time_zone: FORECAST_ZONE });
    const changedAt = new Date().toISOString();
    const sold = await sellOut(ui, sku, stores.riverside, 'Riverside Store POS');
    expect(sold).toBeGreaterThanOrEqual(6);

    await logInContext(ui, context, owner);
    const page = await context.newPage();
    const watched = watchPage(page);
    await page.goto(`${ui.url}/console/`);
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Forecasting', exact: true })
      .click();
    await page.waitForURL(/\/console\/forecasting$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Forecasting');

    // Run now: the worker runs everything (forecasting's "today" moved: it would soon anyway).
    await expect.poll(() => page.getByTestId('forecast-run-status').count()).toBe(1);
    const runNow = page.getByTestId('forecast-run-now');
    if (await runNow.isEnabled()) {
      await runNow.click();
      await expect.poll(() => page.getByTestId('forecast-run-waiting').count()).toBe(1);
    }
    const today = dayIn(FORECAST_ZONE);
    await expect
      .poll(
        async () =>
          (await runs(ui)).some(
            (r) =>
              r.scope === 'all' &&
              r.status === 'completed' &&
              r.first_day === today &&
              r.started_at >= changedAt,
          ),
        { timeout: 150_000, interval: 1000 },
      )
      .toBe(true);
    await expect
      .poll(() => page.getByTestId('forecast-run-status').textContent(), { timeout: 20_000 })
      .toBe('Completed');
    expect(
      Number((await page.getByTestId('forecast-run-series').textContent())?.replace(/\D/g, '')),
    ).toBeGreaterThan(100);

    // The SKU's forecasts, one per location; its chart at Riverside.
    await page.getByTestId('forecast-filter-sku').fill(sku);
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.waitForURL(new RegExp(`sku=${encodeURIComponent(sku)}`));
    const atRiverside = page.getByTestId('forecast-row').filter({ hasText: 'Riverside Store' });
    await expect.poll(() => atRiverside.count()).toBe(1);
    expect(await page.getByTestId('forecast-row-sku').allTextContents()).toEqual(
      expect.arrayContaining([sku]),
    );
    await atRiverside.getByTestId('forecast-row-sku').click();
    await page.waitForURL(/\/console\/forecasting\/series\?/);
    await expect.poll(() => page.getByTestId('series-title').textContent()).toBe(`${sku} at Riverside Store`);
    await page.getByTestId('series-rerun').click();
    await expect.poll(() => page.getByTestId('series-rerun-done').count()).toBe(1);
    // One day of sales: the store's own model, or its fallback (the SKU's other locations, its category),
    // named in words; with the SKU total reconciled over the locations, the store's demand is not zero.
    await expect
      .poll(async () => Number(await page.getByTestId('series-total').textContent()))
      .toBeGreaterThan(0);
    expect(await page.getByTestId('series-model').textContent()).toMatch(/^[A-Z][^_]+$/);
    expect(await page.getByTestId('series-fallback').textContent()).toMatch(/^(—|From [a-z ]+)$/);
    expect(await page.getByTestId('series-mase').textContent()).toBeTruthy();
    expect(await page.getByTestId('series-baseline-mase').textContent()).toBeTruthy();
    // the chart is drawn (uPlot's canvas) with the sale day marked as a stock-out
    await expect.poll(() => page.getByTestId('forecast-chart').locator('canvas').count()).toBeGreaterThan(0);
    const note = (await page.getByTestId('forecast-chart-note').textContent()) ?? '';
    expect(Number(/\((\d+) with a stock-out/.exec(note)?.[1])).toBeGreaterThanOrEqual(1);
    await page.locator('summary', { hasText: 'Forecast per day' }).click();
    expect(await page.getByTestId('forecast-day').count()).toBe(28);

    // Replenishment: the transfer from the warehouse, accepted; its link leads to the transfer.
    const tabs = page.getByRole('navigation', { name: 'Forecasting', exact: true });
    await tabs.getByRole('link', { name: 'Replenishment' }).click();
    await page.waitForURL(/\/console\/forecasting\/replenishment/);
    await page.getByTestId('forecast-filter-sku').fill(sku);
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    const suggestion = page
      .getByTestId('transfer-suggestion')
      .filter({ hasText: 'Portland Warehouse → Riverside Store' });
    await expect.poll(() => suggestion.count()).toBe(1);
    const quantity = Number(await suggestion.getByTestId('transfer-quantity').textContent());
    expect(quantity).toBeGreaterThan(0);
    await suggestion.getByTestId('transfer-tick').check();
    await page.getByTestId('transfer-decide-accept').click();
    const link = page.getByTestId('accepted-transfer');
    await expect.poll(() => link.count()).toBe(1);
    const transferId = (await link.textContent()) ?? '';
    expect(transferId).toMatch(/^trf_/);
    const transfer = await ui.admin<Transfer>('GET', `/inventory/transfers/${transferId}`);
    expect(transfer).toMatchObject({
      from_location_id: warehouse,
      to_location_id: stores.riverside,
      status: 'requested',
      lines: [{ sku, quantity }],
    });
    await expect.poll(() => page.getByTestId('transfer-suggestion').count()).toBe(0);
    await link.click();
    await page.waitForURL(new RegExp(`/console/inventory/transfers/${transferId}$`));

    // At risk: the SKU sold out at Riverside.
    await page.goto(`${ui.url}/console/forecasting/at-risk?location=${stores.riverside}`);
    await expect.poll(() => page.getByTestId('risk-sku').allTextContents()).toContain(sku);

    // In Arabic: right-to-left, the area's heading and tabs translated.
    await page.goto(`${ui.url}/console/forecasting/replenishment?lang=ar`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('التنبؤ بالطلب');
    expect(await page.getByRole('heading', { name: 'التحويلات المقترحة' }).count()).toBe(1);
    expect(watched.problems).toEqual([]);
  } finally {
    await context.close();
    await ui.admin('PATCH', '/forecasts/settings', { time_zone: null });
    await ui.admin('PATCH', `/locations/${stores.riverside}`, { timezone: riverside.timezone });
  }
};
