/**
 * Staff accounts for browser tests, made through the public API as a retailer would: the first owner
 * through the one-time link `plaza start` printed (or `plaza staff owner-link`), everyone else invited
 * by that owner (POST /admin/staff/invitations) and accepting the link (POST /admin/auth/accept).
 * Logging a page in: through the login form (what a person does), or by logging the browser context in
 * through the API (the context keeps the HttpOnly cookie; the app reads the CSRF token itself).
 */
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import type { UiEnv } from './browser.ts';
import { runPlaza } from './processes.ts';

export type Role = 'owner' | 'manager' | 'staff';

export interface StaffAccount {
  id: string;
  email: string;
  password: string;
  name: string;
  role: Role;
  location_ids: string[];
  /** The API session made when the account was created (cookie header value and CSRF token). */
  session: { cookie: string; csrf: string };
}

interface AuthSession {
  user: { id: string; email: string; name: string; role: Role; location_ids: string[] };
  csrf_token: string;
}

const post = async <T>(
  ui: UiEnv,
  path: string,
  body: unknown,
  session?: StaffAccount['session'],
): Promise<{ body: T; cookie: string | undefined }> => {
  const res = await fetch(`${ui.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(session ? { cookie: session.cookie, 'x-plaza-csrf': session.csrf } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${text}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('plaza_session='));
  return { body: JSON.parse(text) as T, cookie: cookie?.split(';')[0] };
};

const account = (r: { body: AuthSession; cookie: string | undefined }, password: string): StaffAccount => {
  if (!r.cookie) throw new Error('no plaza_session cookie in the answer');
  return { ...r.body.user, password, session: { cookie: r.cookie, csrf: r.body.csrf_token } };
};

const tokenOf = (link: string): string => {
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`no token in ${link}`);
  return token;
};

const unique = () => randomBytes(4).toString('hex');

/** A one-time owner link: the one `plaza start` printed, else a new one from `plaza staff owner-link`. */
const ownerLink = async (ui: UiEnv): Promise<string> => {
  const printed = ui.ownerLink;
  ui.ownerLink = undefined;
  if (printed) return printed;
  const r = await runPlaza(['staff', 'owner-link'], {
    PLAZA_DATA_DIR: ui.dataDir,
    ...(ui.databaseUrl ? { DATABASE_URL: ui.databaseUrl } : {}),
  });
  if (r.code !== 0) throw new Error(`plaza staff owner-link failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
};

/** Creates the first owner through the one-time link (POST /admin/auth/accept with an e-mail). */
export const createOwner = async (
  ui: UiEnv,
  who: { email?: string; name?: string } = {},
): Promise<StaffAccount> => {
  const password = `owner-pass-${unique()}`;
  const r = await post<AuthSession>(ui, '/admin/auth/accept', {
    token: tokenOf(await ownerLink(ui)),
    email: who.email ?? `owner-${unique()}@example.com`,
    name: who.name ?? 'Olivia Owner',
    password,
  });
  return account(r, password);
};

/** Invites a person (as `by`, an owner or manager) and accepts the invitation with a password. */
export const createStaff = async (
  ui: UiEnv,
  by: StaffAccount,
  who: { role: Role; location_ids?: string[]; name?: string; email?: string },
): Promise<StaffAccount> => {
  const invited = await post<{ url: string }>(
    ui,
    '/admin/staff/invitations',
    {
      email: who.email ?? `${who.role}-${unique()}@example.com`,
      name: who.name ?? `${who.role[0]?.toUpperCase()}${who.role.slice(1)} ${unique()}`,
      role: who.role,
      ...(who.location_ids ? { location_ids: who.location_ids } : {}),
    },
    by.session,
  );
  const password = `staff-pass-${unique()}`;
  return account(
    await post<AuthSession>(ui, '/admin/auth/accept', { token: tokenOf(invited.body.url), password }),
    password,
  );
};

/** Logs a browser context in through the API: the context keeps the HttpOnly session cookie. */
export const logInContext = async (ui: UiEnv, context: BrowserContext, who: StaffAccount): Promise<void> => {
  const r = await context.request.post(`${ui.url}/admin/auth/login`, {
    data: { email: who.email, password: who.password },
  });
  if (!r.ok()) throw new Error(`login of ${who.email}: ${r.status()} ${await r.text()}`);
};

/** Logs in through the login form of the console or the POS, as a person does. */
export const logInThroughForm = async (page: Page, who: StaffAccount): Promise<void> => {
  await page.getByLabel(/e-?mail/i).fill(who.email);
  await page.getByLabel(/password/i).fill(who.password);
  await page.getByRole('button', { name: /log in|sign in/i }).click();
};
