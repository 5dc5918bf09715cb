/**
 * axe-core on every main screen of the three apps: the console's screens are found from its
 * navigation (so a new area is checked without changing this file), the shop's and the POS's are
 * listed here. Serious and critical violations fail; every one is printed.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { UiEnv } from '../../support/browser.ts';
import { type AxeViolation, formatViolations, runAxe, seriousViolations } from '../../support/browser-axe.ts';
import { logInContext, type StaffAccount } from '../../support/browser-staff.ts';
import type { PickedProduct, Shopper } from './data.ts';
import { shopLogIn } from './shop.ts';

export interface ScreenReport {
  screen: string;
  violations: AxeViolation[];
}

/** Waits until the screen shows content: a heading, no loading skeleton, a quiet moment. */
export const settle = async (page: Page): Promise<void> => {
  await page.locator('h1, h2').first().waitFor({ timeout: 15_000 });
  await page.waitForFunction(
    () =>
      (
        globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
      ).document.querySelectorAll('.pz-skeleton').length === 0,
    undefined,
    { timeout: 15_000 },
  );
  await page.waitForTimeout(100);
};

const check = async (page: Page, screen: string, out: ScreenReport[]) => {
  await settle(page);
  out.push({ screen, violations: seriousViolations(await runAxe(page)) });
};

/** Links of a navigation landmark, as paths. */
const navLinks = async (page: Page, label: string | RegExp): Promise<string[]> => {
  const nav = page.getByRole('navigation', { name: label });
  await nav.first().waitFor();
  const hrefs = await nav
    .first()
    .getByRole('link')
    .evaluateAll((as) => as.map((a) => (a as unknown as { pathname: string }).pathname));
  return [...new Set(hrefs)];
};

const newAxeContext = (ui: UiEnv, device: 'desktop' | 'tablet' | 'phone'): Promise<BrowserContext> =>
  // axe is injected as an inline script: the UI's CSP forbids that, so this context bypasses the CSP.
  ui.context(device, { bypassCSP: true });

export const consoleScreens = async (ui: UiEnv, owner: StaffAccount, out: ScreenReport[]): Promise<void> => {
  const context = await newAxeContext(ui, 'desktop');
  try {
    const page = await context.newPage();
    await page.goto(`${ui.url}/console/login`);
    await check(page, 'console /login', out);
    await logInContext(ui, context, owner);
    await page.goto(`${ui.url}/console/`);
    const links = await navLinks(page, 'Main navigation');
    if (links.length < 3) throw new Error(`the console's navigation has only ${links.join(', ')}`);
    for (const path of links) {
      await page.goto(`${ui.url}${path}`);
      await check(page, `console ${path}`, out);
    }
  } finally {
    await context.close();
  }
};

export const shopScreens = async (
  ui: UiEnv,
  shopper: Shopper,
  product: PickedProduct,
  out: ScreenReport[],
): Promise<void> => {
  const context = await newAxeContext(ui, 'phone');
  try {
    const page = await context.newPage();
    for (const path of ['/', `/p/${product.handle}`, '/login', '/signup']) {
      await page.goto(`${ui.url}/shop${path}`);
      await check(page, `shop ${path}`, out);
    }
    await page.goto(`${ui.url}/shop/p/${product.handle}`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('dialog').waitFor();
    await check(page, 'shop cart drawer', out);
    await page.goto(`${ui.url}/shop/checkout`);
    await check(page, 'shop /checkout', out);
    await shopLogIn(page, ui, shopper);
    for (const path of ['/account', '/account/orders', '/account/preferences', '/account/data']) {
      await page.goto(`${ui.url}/shop${path}`);
      await check(page, `shop ${path}`, out);
    }
    await page.goto(`${ui.url}/shop/?lang=ar`);
    await check(page, 'shop / (Arabic)', out);
  } finally {
    await context.close();
  }
};

export const posScreens = async (
  ui: UiEnv,
  cashier: StaffAccount,
  storeName: string,
  out: ScreenReport[],
): Promise<void> => {
  const context = await newAxeContext(ui, 'tablet');
  try {
    const page = await context.newPage();
    await page.goto(`${ui.url}/pos/login`);
    await check(page, 'pos /login', out);
    await logInContext(ui, context, cashier);
    await page.goto(`${ui.url}/pos/`);
    await page.getByRole('button', { name: new RegExp(storeName) }).waitFor();
    out.push({ screen: 'pos store picker', violations: seriousViolations(await runAxe(page)) });
    await page.getByRole('button', { name: new RegExp(storeName) }).click();
    for (const path of await navLinks(page, 'POS screens')) {
      await page.goto(`${ui.url}${path}`);
      await check(page, `pos ${path}`, out);
    }
  } finally {
    await context.close();
  }
};

export const formatReports = (reports: ScreenReport[]): string =>
  reports
    .filter((r) => r.violations.length > 0)
    .map((r) => formatViolations(r.screen, r.violations))
    .join('\n');
