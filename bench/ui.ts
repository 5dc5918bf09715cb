/**
 * `npm run bench -- ui`: the UI in Debian's Chromium against a real `plaza start` with the demo data.
 *
 * - First-load JavaScript per app: the scripts the page fetched before its `load` event (the entry
 *   chunk and its static imports, modulepreloaded), in KB gzip (sizes of the build's .gz files) and as
 *   transferred (brotli); also what the first screen loaded in all (its lazy chunk included).
 *   Budgets (issue 10): shop ≤ 150 KB, console ≤ 300 KB gzip.
 * - Product page render: navigation start to the product's price in the DOM (Performance API clock,
 *   a MutationObserver installed before the page's scripts), median of 20, each in a fresh context
 *   (cold cache) and 20 reloads in one context (warm cache). Target < 1 s.
 * - Request waterfalls: per screen, the longest chain of API requests each starting after the
 *   previous one ended (≤ 2 allowed: the session or cart, then the screen's data).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { settle } from '../test/e2e/journeys/a11y.ts';
import { registerShopper } from '../test/e2e/journeys/data.ts';
import { shopLogIn } from '../test/e2e/journeys/shop.ts';
import { chromiumProblem, startUi, type UiEnv, webDist, webDistProblem } from '../test/support/browser.ts';
import { createOwner, logInContext } from '../test/support/browser-staff.ts';
import { type Backend, PG_SERVER } from './lib/env.ts';
import type { Result } from './lib/load.ts';

const RUNS = 20;
const BUDGET_KB: Record<string, number> = { shop: 150, console: 300 };

const result = (name: string, values: number[], unit: string): Result & { unit: string } => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    name,
    unit,
    ops: values.length,
    errors: 0,
    seconds: 0,
    throughput: 0,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted.at(-1) ?? 0,
    statuses: {},
  };
};

export const formatUi = (r: Result): string => {
  const unit = (r as Result & { unit?: string }).unit ?? '';
  const v = (x: number) => `${Number.isInteger(x) ? x : x.toFixed(1)} ${unit}`.trim();
  return r.ops > 1
    ? `${r.name.padEnd(70)} median ${v(r.p50)}, p95 ${v(r.p95)}, max ${v(r.max)} (${r.ops} runs)`
    : `${r.name.padEnd(70)} ${v(r.p50)}`;
};

const gzipKb = (url: string): number => {
  const file = join(webDist(), 'assets', `${basename(new URL(url).pathname)}.gz`);
  return existsSync(file) ? statSync(file).size / 1024 : 0;
};

interface ScriptEntry {
  name: string;
  encodedBodySize: number;
  responseEnd: number;
}

/** Scripts fetched before `load`, and all scripts fetched by now (Resource Timing). */
const scripts = async (page: Page) =>
  page.evaluate(() => {
    const perf = (
      globalThis as unknown as {
        performance: { getEntriesByType(t: string): (ScriptEntry & { loadEventStart: number })[] };
      }
    ).performance;
    const load = perf.getEntriesByType('navigation')[0]?.loadEventStart ?? 0;
    const all = perf
      .getEntriesByType('resource')
      .filter((e) => /\.js(\?|$)/.test(e.name))
      .map((e) => ({ name: e.name, encodedBodySize: e.encodedBodySize, responseEnd: e.responseEnd }));
    return { load, all };
  });

const firstLoad = async (
  app: string,
  context: BrowserContext,
  url: string,
  ready: (p: Page) => Promise<void>,
): Promise<Result[]> => {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  await ready(page);
  await settle(page);
  const { load, all } = await scripts(page);
  const initial = all.filter((s) => s.responseEnd <= load);
  const sum = (list: ScriptEntry[], f: (s: ScriptEntry) => number) => list.reduce((n, s) => n + f(s), 0);
  const budget = BUDGET_KB[app];
  const gz = sum(initial, (s) => gzipKb(s.name));
  await page.close();
  return [
    result(
      `first-load JS, ${app} (${initial.length} files before load, gzip)${budget ? ` — budget ${budget} KB: ${gz <= budget ? 'met' : 'NOT MET'}` : ''}`,
      [gz],
      'KB',
    ),
    result(
      `first-load JS, ${app}, as transferred (brotli)`,
      [sum(initial, (s) => s.encodedBodySize) / 1024],
      'KB',
    ),
    result(
      `JS of ${app}'s first screen in all (${all.length} files, gzip)`,
      [sum(all, (s) => gzipKb(s.name))],
      'KB',
    ),
  ];
};

/** Milliseconds from navigation start to the product's price in the DOM. */
const CONTENT_PROBE = `(() => {
  const seen = () => document.querySelector('[data-testid="product-price"]');
  const mark = () => { if (!window.__plazaContentAt && seen()) window.__plazaContentAt = performance.now(); };
  new MutationObserver(mark).observe(document, { childList: true, subtree: true });
})();`;

const renderTimes = async (ui: UiEnv, handle: string): Promise<Result[]> => {
  const url = `${ui.url}/shop/p/${handle}`;
  const measure = async (page: Page, reload: boolean) => {
    if (reload) await page.reload({ waitUntil: 'commit' });
    else await page.goto(url, { waitUntil: 'commit' });
    // Functions, not strings: a string would be eval'd in the page, which its CSP forbids.
    const at = () => (globalThis as unknown as { __plazaContentAt?: number }).__plazaContentAt ?? 0;
    await page.waitForFunction(at, undefined, { timeout: 15_000 });
    return page.evaluate(at);
  };
  const cold: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await ui.context('desktop');
    await context.addInitScript(CONTENT_PROBE);
    cold.push(await measure(await context.newPage(), false));
    await context.close();
  }
  const context = await ui.context('desktop');
  await context.addInitScript(CONTENT_PROBE);
  const page = await context.newPage();
  await measure(page, false);
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) warm.push(await measure(page, true));
  await context.close();
  return [
    result('product page, navigation → price shown, cold cache (new context)', cold, 'ms'),
    result('product page, navigation → price shown, warm cache (reload)', warm, 'ms'),
  ];
};

interface Call {
  path: string;
  start: number;
  end: number;
}

/** The longest chain of API requests where each started after the previous one had ended. */
export const longestChain = (calls: Call[]): Call[] => {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const chains: Call[][] = [];
  sorted.forEach((c, i) => {
    let best: Call[] = [];
    for (let j = 0; j < i; j++) {
      const q = sorted[j];
      const chain = chains[j] ?? [];
      if (q && q.end <= c.start && chain.length > best.length) best = chain;
    }
    chains.push([...best, c]);
  });
  return chains.reduce<Call[]>((a, b) => (b.length > a.length ? b : a), []);
};

const waterfallOnce = async (context: BrowserContext, url: string): Promise<Call[]> => {
  const page = await context.newPage();
  const requests: Request[] = [];
  page.on('requestfinished', (r) => {
    const path = new URL(r.url()).pathname;
    if (/^\/(admin|store)\//.test(path) && !path.endsWith('/stream')) requests.push(r);
  });
  await page.goto(url);
  await settle(page);
  await page.waitForTimeout(500);
  const calls = requests.map((r) => {
    const t = r.timing();
    return {
      path: `${r.method()} ${new URL(r.url()).pathname}`,
      start: t.startTime,
      end: t.startTime + t.responseEnd,
    };
  });
  await page.close();
  return longestChain(calls);
};

/**
 * The screen's waterfall, loaded twice: the shorter chain counts (a request that merely started late
 * on a busy machine looks dependent; a real dependency shows in both loads).
 */
const waterfall = async (context: BrowserContext, url: string): Promise<Call[]> => {
  const a = await waterfallOnce(context, url);
  const b = await waterfallOnce(context, url);
  return b.length < a.length ? b : a;
};

export const uiFigures = async (backend: Backend): Promise<Result[]> => {
  const why = chromiumProblem() ?? webDistProblem();
  if (why) {
    console.log(`ui: skipped (${why})`);
    return [];
  }
  process.env.PLAZA_TEST_BACKEND = backend;
  process.env.PLAZA_TEST_DATABASE_URL = PG_SERVER;
  process.env.PLAZA_PRIVACY_KEY ??= 'plaza-bench-privacy-key-0123456789abcdef';
  const ui = await startUi({ env: { LOG_LEVEL: 'error' } });
  try {
    const owner = await createOwner(ui);
    const shopper = await registerShopper(ui);
    const list = await ui.store<{ data: { handle: string }[] }>(ui.keys.web, 'GET', '/products?limit=1');
    const handle = list.data[0]?.handle ?? '';
    const out: Result[] = [];

    const guest = await ui.context('desktop');
    out.push(
      ...(await firstLoad('shop', guest, `${ui.url}/shop/`, (p) =>
        p.getByTestId('product-card').first().waitFor(),
      )),
    );
    await guest.close();
    const staff = await ui.context('desktop');
    await logInContext(ui, staff, owner);
    out.push(
      ...(await firstLoad('console', staff, `${ui.url}/console/`, (p) =>
        p.getByRole('heading', { level: 1 }).waitFor(),
      )),
    );
    out.push(
      ...(await firstLoad('pos', staff, `${ui.url}/pos/`, (p) => p.getByRole('heading').first().waitFor())),
    );

    out.push(...(await renderTimes(ui, handle)));

    const screens: [string, BrowserContext, string][] = [];
    const probe = await staff.newPage();
    await probe.goto(`${ui.url}/console/`);
    const nav = probe.getByRole('navigation', { name: 'Main navigation' });
    await nav.waitFor();
    const links = await nav
      .getByRole('link')
      .evaluateAll((as) => as.map((a) => (a as unknown as { pathname: string }).pathname));
    await probe.close();
    for (const path of links) screens.push([`console ${path}`, staff, `${ui.url}${path}`]);
    // The till remembers its store on the device: choose it once, then measure the POS screens.
    const till = await staff.newPage();
    await till.goto(`${ui.url}/pos/`);
    await till.getByRole('button', { name: /Downtown Store/ }).click();
    await till.getByTestId('pos-scan').waitFor();
    await till.close();
    for (const path of ['/pos/', '/pos/pickups']) screens.push([`pos ${path}`, staff, `${ui.url}${path}`]);
    const shopper1 = await ui.context('desktop');
    const login = await shopper1.newPage();
    await shopLogIn(login, ui, shopper);
    await login.close();
    for (const path of ['/', `/p/${handle}`, '/account', '/account/orders'])
      screens.push([`shop ${path}`, shopper1, `${ui.url}/shop${path}`]);
    for (const [name, context, url] of screens) {
      const chain = await waterfall(context, url);
      const more = chain.length > 2 ? ` — MORE THAN 2: ${chain.map((c) => c.path).join(' → ')}` : '';
      out.push(result(`request waterfall depth, ${name}${more}`, [chain.length], 'steps'));
    }
    await shopper1.close();
    await staff.close();
    return out;
  } finally {
    await ui.close();
  }
};
