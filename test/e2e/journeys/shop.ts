/**
 * Shop journeys: (a) one account on a phone and on a desktop, the cart live across both, checkout
 * for pickup at a store; (f) the Arabic shop, right-to-left with Arabic-formatted prices.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type UiEnv, watchPage } from '../../support/browser.ts';
import type { PickedProduct, PickupOrder, Shopper } from './data.ts';

/** Logs a shopper in through the shop's login form; lands on the shop's home. */
export const shopLogIn = async (page: Page, ui: UiEnv, who: Shopper): Promise<void> => {
  await page.goto(`${ui.url}/shop/login`);
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.waitForURL((u) => u.pathname !== '/shop/login');
};

const cartCount = (page: Page) => page.getByTestId('cart-count').first().textContent();

const addFromProductPage = async (page: Page, ui: UiEnv, p: PickedProduct) => {
  await page.goto(`${ui.url}/shop/p/${p.handle}`);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(p.title);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  // The drawer opens with the line; close it as a shopper would.
  await page.getByTestId('cart-line').filter({ hasText: p.title }).waitFor();
  await page.keyboard.press('Escape');
};

/**
 * (a) The shopper adds two items on the phone; the desktop, open meanwhile and never reloaded, shows
 * them as they come; the desktop checks out for pickup at the store `storeId` with the test card.
 */
export const phoneAndDesktopPickup = async (
  ui: UiEnv,
  shopper: Shopper,
  products: PickedProduct[],
  storeId: string,
): Promise<PickupOrder> => {
  const phone = await ui.context('phone');
  const desktop = await ui.context('desktop');
  try {
    const onPhone = await phone.newPage();
    const onDesktop = await desktop.newPage();
    const watched = [watchPage(onPhone), watchPage(onDesktop)];
    // The desktop learns of the phone's changes through the live cart stream (SSE), not by reloading
    // or refetching: its cart requests other than the stream are counted.
    const desktopCartReads: string[] = [];
    let desktopStreams = 0;
    onDesktop.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.endsWith('/stream')) desktopStreams++;
      else if (r.method() === 'GET' && path.startsWith('/store/carts')) desktopCartReads.push(path);
    });
    await shopLogIn(onPhone, ui, shopper);
    await shopLogIn(onDesktop, ui, shopper);
    await expect.poll(() => cartCount(onDesktop)).toBe('0');
    await expect.poll(() => desktopStreams).toBeGreaterThan(0);
    const readsBefore = desktopCartReads.length;

    for (const [i, p] of products.entries()) {
      await addFromProductPage(onPhone, ui, p);
      await expect.poll(() => cartCount(onPhone)).toBe(String(i + 1));
      // Live: the desktop page was not reloaded; the cart stream brings the change.
      await expect.poll(() => cartCount(onDesktop)).toBe(String(i + 1));
    }

    expect(desktopCartReads.slice(readsBefore)).toEqual([]);

    await onDesktop.getByRole('button', { name: /^Cart\b/ }).click();
    for (const p of products) await onDesktop.getByTestId('cart-line').filter({ hasText: p.title }).waitFor();
    await onDesktop.getByRole('button', { name: 'Checkout' }).click();
    await onDesktop.getByLabel('Pick up at a store').check();
    await onDesktop.getByLabel('Store', { exact: true }).selectOption(storeId);
    await onDesktop.getByLabel('Card number').fill('4242 4242 4242 4242');
    await onDesktop.getByRole('button', { name: 'Place order' }).click();
    await onDesktop.waitForURL(/\/shop\/orders\/ord_/);
    const code = (await onDesktop.getByTestId('pickup-code').textContent())?.replace(/\s+/g, '') ?? '';
    expect(code).toMatch(/^[A-Z0-9]{6,}$/);
    const id = /\/orders\/(ord_[^/?]+)/.exec(onDesktop.url())?.[1] ?? '';
    const number =
      /#?\s*([A-Z0-9-]+)\s*$/.exec(
        (await onDesktop.getByRole('heading', { level: 1 }).textContent()) ?? '',
      )?.[1] ?? '';
    // The phone's cart empties too (checked out on the other device).
    await expect.poll(() => cartCount(onPhone)).toBe('0');
    expect(watched.flatMap((w) => w.problems)).toEqual([]);
    return { id, number, code };
  } finally {
    await phone.close();
    await desktop.close();
  }
};

/** (f) The shop in Arabic: `dir="rtl"`, Arabic text, prices in Arabic-Indic digits. */
export const arabicShop = async (ui: UiEnv, product: PickedProduct): Promise<void> => {
  const context = await ui.context('phone', { locale: 'ar' });
  try {
    const page = await context.newPage();
    const watched = watchPage(page);
    await page.goto(`${ui.url}/shop/p/${product.handle}?lang=ar`);
    await page.getByTestId('product-price').waitFor();
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toMatch(/^ar/);
    const price = (await page.getByTestId('product-price').first().textContent()) ?? '';
    // Arabic-Indic digits (٠–٩), no Latin digits, as Intl formats money for ar.
    expect(price).toMatch(/[٠-٩]/);
    expect(price).not.toMatch(/[0-9]/);
    // The same amount as Intl formats it in Arabic with Arabic-Indic digits (Chromium's default for ar).
    const expected = new Intl.NumberFormat('ar-u-nu-arab', { style: 'currency', currency: 'USD' }).format(
      product.amount / 100,
    );
    const digits = (x: string) => x.replace(/[^٠-٩٫]/g, '');
    expect(digits(price)).toBe(digits(expected));
    // The add button speaks Arabic (the whole page is translated, not only the digits).
    const add =
      (await page
        .getByRole('button')
        .filter({ hasText: /[\u0600-\u06FF]/ })
        .count()) > 0;
    expect(add).toBe(true);
    // Mirrored layout: the header's start is on the right.
    const brand = await page.locator('.pz-brand').first().boundingBox();
    const viewport = page.viewportSize();
    expect(brand && viewport && brand.x > viewport.width / 2).toBe(true);
    expect(watched.problems).toEqual([]);
  } finally {
    await context.close();
  }
};
