/**
 * Store journeys in the console: (b) the store's staff prepare and hand over a pickup order with its
 * code; (g) staff of one store cannot open another store's queue.
 */
import { expect } from 'vitest';
import { type UiEnv, watchPage } from '../../support/browser.ts';
import { logInContext, type StaffAccount } from '../../support/browser-staff.ts';
import type { PickupOrder } from './data.ts';

/** (b) Staff of the pickup store: the order is in the queue, marked ready, handed over with its code. */
export const pickupQueueHandover = async (
  ui: UiEnv,
  staff: StaffAccount,
  storeId: string,
  order: PickupOrder,
): Promise<void> => {
  const context = await ui.context('desktop');
  try {
    await logInContext(ui, context, staff);
    const page = await context.newPage();
    const watched = watchPage(page);
    await page.goto(`${ui.url}/console/pickups`);
    // A staff member of one store gets that store's queue without choosing.
    expect(await page.getByLabel('Store', { exact: true }).inputValue()).toBe(storeId);
    const row = page.locator(`[data-testid="pickup-row"][data-order-number="${order.number}"]`);
    await expect.poll(() => row.getAttribute('data-status')).toBe('to_prepare');
    await row.getByRole('button', { name: 'Mark ready' }).click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('ready');

    await row.getByRole('button', { name: 'Hand over' }).click();
    const input = page.getByTestId('pickup-code-input');
    await expect.poll(() => input.evaluate((e) => e === e.ownerDocument.activeElement)).toBe(true);
    // A scanner (or a person) types the code and Enter.
    await input.fill(order.code);
    await input.press('Enter');
    await expect.poll(() => row.count()).toBe(0);
    const after = await ui.admin<{ status: string }>('GET', `/orders/${order.id}`);
    expect(after.status).toBe('picked_up');
    expect(watched.problems).toEqual([]);
  } finally {
    await context.close();
  }
};

/** (g) Staff of `ownStoreId` opening `otherStoreId`'s queue see a refusal and none of its orders. */
export const otherStoreQueueRefused = async (
  ui: UiEnv,
  staff: StaffAccount,
  ownStoreId: string,
  otherStoreId: string,
  otherOrderNumber: string,
): Promise<void> => {
  const context = await ui.context('desktop');
  try {
    await logInContext(ui, context, staff);
    const page = await context.newPage();
    await page.goto(`${ui.url}/console/pickups?location=${otherStoreId}`);
    await page.getByText('Not your store.').first().waitFor();
    expect(await page.getByTestId('pickup-row').count()).toBe(0);
    expect(await page.getByText(`#${otherOrderNumber}`).count()).toBe(0);
    // Only their own store is offered.
    const offered = await page
      .getByLabel('Store', { exact: true })
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value).filter(Boolean));
    expect(offered).toContain(ownStoreId);
    expect(offered.filter((v) => v !== ownStoreId && v !== otherStoreId)).toEqual([]);
    // The API says the same (the UI hides nothing the API would show).
    const res = await context.request.get(`${ui.url}/admin/locations/${otherStoreId}/pickups`);
    expect(res.status()).toBe(403);
  } finally {
    await context.close();
  }
};
