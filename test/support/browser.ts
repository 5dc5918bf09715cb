/**
 * Browser end-to-end harness: a real `plaza start` (demo data, the built UI) and Debian's Chromium
 * driven by playwright-core. One server and one browser per test file; one context per user/device.
 *
 *   const ui = await startUi();            // in beforeAll (hookTimeout covers the start)
 *   const phone = await ui.context('phone');
 *   const page = await phone.newPage();
 *   await page.goto(`${ui.url}/shop/`);
 *   …
 *   await ui.close();                      // in afterAll
 *
 * Backends: PGlite in a fresh data folder, or a fresh PostgreSQL database (seeded with `plaza seed
 * --demo`) when PLAZA_TEST_BACKEND=postgres, as the other end-to-end tests do.
 *
 * Chromium: /usr/bin/chromium (PLAZA_CHROMIUM to override). Never downloaded. When it is missing the
 * browser tests fail in CI (CI or PLAZA_REQUIRE_BROWSER set; .ci/run installs Debian's chromium), and
 * are skipped with a clear message elsewhere. A missing UI build (web/dist, or PLAZA_WEB_DIST) always
 * fails, with the command that builds it.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { createPostgresDatabase, testBackend } from '../../src/platform/testing.ts';
import { http, type PlazaProcess, runPlaza, startPlaza, TEST_ADMIN_TOKEN } from './processes.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHROMIUM_PATH = process.env.PLAZA_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The three form factors of the issue: the app view (phone), the desktop shop and console, the POS tablet. */
export const DEVICES = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
  desktop: { viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1 },
  tablet: { viewport: { width: 1024, height: 768 }, hasTouch: true, deviceScaleFactor: 1 },
} satisfies Record<string, BrowserContextOptions>;
export type Device = keyof typeof DEVICES;

export const webDist = (): string => process.env.PLAZA_WEB_DIST || join(ROOT, 'web', 'dist');

/** Why the UI build cannot be served, or undefined. */
export const webDistProblem = (): string | undefined => {
  const dist = webDist();
  const missing = ['assets', 'console/index.html', 'shop/index.html', 'pos/index.html'].filter(
    (f) => !existsSync(join(dist, f)),
  );
  if (missing.length === 0) return undefined;
  return `the UI is not built: ${missing.map((f) => join(dist, f)).join(', ')} missing. Run \`npm run build:web\` (npm install runs it) and try again.`;
};

/** The newest modification time under web/ (sources) and of the build, to warn about a stale build. */
const newest = (dir: string, skip: (p: string) => boolean): number => {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (skip(p)) continue;
    t = Math.max(t, e.isDirectory() ? newest(p, skip) : statSync(p).mtimeMs);
  }
  return t;
};

export const webDistIsStale = (): boolean => {
  const web = join(ROOT, 'web');
  const src = newest(web, (p) => p.startsWith(join(web, 'dist')) || p.includes('node_modules'));
  return src > statSync(join(webDist(), 'assets')).mtimeMs;
};

export const browserRequired = (): boolean => Boolean(process.env.CI || process.env.PLAZA_REQUIRE_BROWSER);

/** Why Chromium cannot be used here, or undefined. */
export const chromiumProblem = (): string | undefined =>
  existsSync(CHROMIUM_PATH)
    ? undefined
    : `Chromium is not at ${CHROMIUM_PATH} (install Debian's: apt-get install -y chromium; .ci/run does)`;

export const launchChromium = async (): Promise<Browser> => {
  const why = chromiumProblem();
  if (why) throw new Error(`browser tests cannot run: ${why}`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    // A fresh profile per launch (playwright makes a temp user-data-dir for launch()).
    timeout: 60_000,
  });
};

export interface ChannelKeys {
  web: string;
  app: string;
  /** POS channel keys by store name ("Downtown Store POS" → pk_…). */
  pos: Record<string, string>;
}

export interface UiEnv {
  url: string;
  backend: 'pglite' | 'postgres';
  /** The server's data folder, and its PostgreSQL database (for CLI commands such as `plaza staff`). */
  dataDir: string;
  databaseUrl: string | undefined;
  plaza: PlazaProcess;
  browser: Browser;
  keys: ChannelKeys;
  /** The one-time owner link printed by `plaza start` (undefined once used). */
  ownerLink: string | undefined;
  /** The admin token (automation), for setting up data through the API. */
  adminToken: string;
  /** Calls /admin with the admin token; throws on an error status. */
  admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /** Calls /store with a channel key (and optional customer token); throws on an error status. */
  store<T = Record<string, unknown>>(
    key: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T>;
  /** A new browser context for one user on one device (the axe test passes bypassCSP). */
  context(device: Device, opts?: BrowserContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

const ok = <T>(r: { status: number; body: T }, what: string): T => {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

const parseKeys = (out: string): ChannelKeys => {
  const web = /\bweb\s+Plaza Outfitters Web\s+(pk_\S+)/.exec(out)?.[1];
  const app = /\bapp\s+Plaza Outfitters App\s+(pk_\S+)/.exec(out)?.[1];
  const pos: Record<string, string> = {};
  for (const m of out.matchAll(/\bpos\s+(.+? POS)\s+(pk_\S+)/g)) pos[m[1] as string] = m[2] as string;
  if (!web || !app) throw new Error(`no demo channel keys in the output:\n${out}`);
  return { web, app, pos };
};

/** Starts Plaza with the demo retailer and the built UI, and Chromium. Call in beforeAll. */
export const startUi = async (opts: { env?: Record<string, string> } = {}): Promise<UiEnv> => {
  const distProblem = webDistProblem();
  if (distProblem) throw new Error(distProblem);
  const noBrowser = chromiumProblem();
  if (noBrowser) throw new Error(`browser tests cannot run: ${noBrowser}`);
  if (webDistIsStale())
    console.warn(
      `\n*** ${webDist()} is older than the sources under web/: run \`npm run build:web\` if a browser test fails on a screen. ***\n`,
    );
  const backend = testBackend();
  const dir = mkdtempSync(join(tmpdir(), 'plaza-e2e-'));
  const cleanups: (() => Promise<unknown> | unknown)[] = [
    () => rmSync(dir, { recursive: true, force: true }),
  ];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    let seedOut = '';
    const env: Record<string, string> = {
      PLAZA_DATA_DIR: dir,
      PLAZA_WEB_DIST: webDist(),
      PLAZA_DEMO: '1',
      ...(opts.env ?? {}),
    };
    if (backend === 'postgres') {
      const db = await createPostgresDatabase();
      cleanups.push(db.drop);
      env.DATABASE_URL = db.url;
      // A server database is never seeded implicitly: as the README says, `plaza seed --demo`.
      const seeded = await runPlaza(['seed', '--demo'], { DATABASE_URL: db.url, PLAZA_DATA_DIR: dir });
      if (seeded.code !== 0) throw new Error(`plaza seed --demo failed:\n${seeded.stdout}\n${seeded.stderr}`);
      seedOut = seeded.stdout + seeded.stderr;
    }
    // Both at once; whichever started is stopped again if the other failed.
    const [started, launched] = await Promise.allSettled([startPlaza(env, 170_000), launchChromium()]);
    if (started.status === 'fulfilled') cleanups.push(() => started.value.stop());
    if (launched.status === 'fulfilled') cleanups.push(() => launched.value.close());
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    const plaza = started.value;
    const browser = launched.value;
    const out = plaza.output();
    const keys = parseKeys(`${seedOut}\n${out}`);
    const ownerLink = /(http:\/\/\S+\/console\/accept\?token=\S+)/.exec(out)?.[1];
    const url = plaza.url;
    return {
      url,
      backend,
      dataDir: dir,
      databaseUrl: env.DATABASE_URL,
      plaza,
      browser,
      keys,
      ownerLink,
      adminToken: TEST_ADMIN_TOKEN,
      admin: async <T>(method: string, path: string, body?: unknown) =>
        ok(
          await http<T>(url, method, `/admin${path}`, { token: TEST_ADMIN_TOKEN, body }),
          `${method} ${path}`,
        ),
      store: async <T>(key: string, method: string, path: string, body?: unknown, headers = {}) =>
        ok(await http<T>(url, method, `/store${path}`, { key, body, headers }), `${method} ${path}`),
      context: (device, o = {}) => browser.newContext({ ...DEVICES[device], ...o }),
      close: cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
};

/**
 * Records what goes wrong in a page (uncaught errors, console errors, answers ≥ 500), so
 * a test can assert none happened and print them when one did.
 */
export const watchPage = (page: Page): { problems: string[] } => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // Chromium logs every 4xx answer as "Failed to load resource"; those are expected API answers
    // (401 before login, 404 for no current cart); answers ≥ 500 are recorded below.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      problems.push(`console error: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return { problems };
};
