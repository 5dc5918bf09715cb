/**
 * (c) A sale at the POS (tablet): scan an item, find the customer by loyalty card, pay partly with
 * points and the rest by card, the receipt shows.
 */
import { expect } from 'vitest';
import { type UiEnv, watchPage } from '../../support/browser.ts';
import { logInThroughForm, type StaffAccount } from '../../support/browser-staff.ts';

export const posSaleWithPoints = async (
  ui: UiEnv,
  cashier: StaffAccount,
  storeName: string,
  sku: string,
  customer: { id: string; card: string; name: string },
  points: number,
): Promise<void> => {
  const context = await ui.context('tablet');
  try {
    const page = await context.newPage();
    const watched = watchPage(page);
    await page.goto(`${ui.url}/pos/`);
    await page.waitForURL(/\/pos\/login/);
    await logInThroughForm(page, cashier);
    await page.getByRole('button', { name: new RegExp(storeName) }).click();

    // A keyboard-wedge scanner types the code and Enter into the focused scan box.
    const scan = page.getByTestId('pos-scan');
    await expect.poll(() => scan.evaluate((e) => e === e.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type(sku);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('pos-line').count()).toBe(1);
    expect(await page.getByTestId('pos-line').textContent()).toContain(sku);

    await page.getByTestId('pos-customer-search').fill(customer.card);
    await page.getByTestId('pos-customer-search').press('Enter');
    await page.getByRole('button', { name: 'Add to sale' }).click();
    await page.getByText(`${points} points`).waitFor();

    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Loyalty points to use/).fill(String(points));
    await dialog.getByRole('radio', { name: 'Card' }).click();
    await dialog.getByLabel(/Card number/).fill('4242 4242 4242 4242');
    await dialog.getByRole('button', { name: /^Pay / }).click();

    const receipt = page.getByTestId('pos-receipt');
    await receipt.waitFor();
    const text = (await receipt.textContent()) ?? '';
    expect(text).toContain(sku);
    expect(text).toContain(`${points} loyalty points used`);
    expect(text).toContain(customer.name);
    // The points were redeemed for this sale (earning on the completed sale may follow; not checked here).
    const loyalty = await ui.admin<{
      history: { data: { kind: string; points: number; order_id: string | null }[] };
    }>('GET', `/customers/${customer.id}/loyalty`);
    expect(loyalty.history.data.filter((e) => e.kind === 'redeem').map((e) => e.points)).toEqual([-points]);
    expect(watched.problems).toEqual([]);
  } finally {
    await context.close();
  }
};
