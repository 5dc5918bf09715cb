/** Test helpers of the staff module: invite → accept through the API, and calls with the session cookie. */
import type { Reply, TestApp } from '../../../test/support/app.ts';
import { SESSION_COOKIE } from '../../platform/http/auth.ts';

export interface Browser {
  cookie: string;
  csrf: string;
  userId: string;
}

/** The session token of a Set-Cookie answer (undefined when none was set). */
export const cookieOf = (r: Reply): string | undefined => {
  const raw = r.headers['set-cookie'];
  const line = (Array.isArray(raw) ? raw : [raw]).find((l) => String(l).startsWith(`${SESSION_COOKIE}=`));
  return line === undefined
    ? undefined
    : String(line)
        .split(';')[0]
        ?.slice(SESSION_COOKIE.length + 1);
};

/** The token of an accept link. */
export const tokenOfUrl = (url: string): string => new URL(url).searchParams.get('token') ?? '';

let n = 0;

/** A unique e-mail address. */
export const email = (who = 'staff'): string => `${who}${++n}.${process.pid}@example.com`;

export const PASSWORD = 'a good long password';

/** Invites (with the admin token, or as `by`) and accepts: a logged-in staff user. */
export const staffUser = async (
  t: TestApp,
  role: 'owner' | 'manager' | 'staff',
  locationIds: string[] = [],
  by?: Browser,
): Promise<Browser & { email: string }> => {
  const address = email(role);
  const inv = await as<{ url: string; user: { id: string } }>(t, by, 'POST', '/admin/staff/invitations', {
    email: address,
    name: `Test ${role}`,
    role,
    location_ids: locationIds,
  });
  if (inv.status !== 201) throw new Error(`invitation refused: ${JSON.stringify(inv.body)}`);
  const acc = await t.call<{ csrf_token: string }>('POST', '/admin/auth/accept', {
    body: { token: tokenOfUrl(inv.body.url), password: PASSWORD },
  });
  const cookie = cookieOf(acc);
  if (acc.status !== 200 || !cookie) throw new Error(`accept refused: ${JSON.stringify(acc.body)}`);
  return { cookie, csrf: acc.body.csrf_token, userId: inv.body.user.id, email: address };
};

/** Calls as a logged-in browser (cookie + CSRF header), or with the admin token when `b` is undefined. */
export const as = <T = Record<string, unknown>>(
  t: TestApp,
  b: Browser | undefined,
  method: string,
  url: string,
  body?: unknown,
  o: { csrf?: string | null } = {},
): Promise<Reply<T>> => {
  if (!b) return t.call<T>(method, url, { body, token: t.adminToken });
  const csrf = o.csrf === undefined ? b.csrf : o.csrf;
  return t.call<T>(method, url, {
    body,
    headers: { cookie: `${SESSION_COOKIE}=${b.cookie}`, ...(csrf === null ? {} : { 'x-plaza-csrf': csrf }) },
  });
};
