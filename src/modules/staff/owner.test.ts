/** The first owner: the set-up link of `plaza start` and `plaza staff owner-link`, and the CLI's reset link. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { askRunningServer, startControlServer } from '../../cli/control.ts';
import { type StaffLink, staffLinkOp } from '../../cli/ops.ts';
import { cookieOf, email, PASSWORD, tokenOfUrl } from './test-support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const BASE = 'http://127.0.0.1:9123';
const accept = (url: string, extra: Record<string, unknown>) =>
  t.call<{ user: { role: string; email: string } }>('POST', '/admin/auth/accept', {
    body: { token: tokenOfUrl(url), password: PASSWORD, ...extra },
  });

describe('the first owner', () => {
  it('has a one-time link while no owner exists; accepting it (with an e-mail) creates the owner', async () => {
    const first = await staffLinkOp(t.deps, { kind: 'owner' }, BASE);
    const second = await staffLinkOp(t.deps, { kind: 'owner' }, BASE);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:9123\/console\/accept\?token=plz_sl_/);
    const info = await t.call('POST', '/admin/auth/link', { body: { token: tokenOfUrl(first.url ?? '') } });
    expect(info.body).toMatchObject({ kind: 'owner', email: null, name: null, role: 'owner' });
    const noEmail = await accept(first.url ?? '', {});
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.errors?.[0]?.path).toBe('body.email');
    const address = email('owner');
    const r = await accept(first.url ?? '', { email: address, name: 'The Owner' });
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ role: 'owner', email: address });
    expect(cookieOf(r)).toBeTruthy();
    // the other set-up link died with the first owner, and no new one is made
    const late = await accept(second.url ?? '', { email: email('owner') });
    expect(late.status).toBe(410);
    expect(late.body.code).toBe('LINK_INVALID');
    const lateInfo = await t.call('POST', '/admin/auth/link', {
      body: { token: tokenOfUrl(second.url ?? '') },
    });
    expect(lateInfo.body.code).toBe('LINK_INVALID');
    expect(await staffLinkOp(t.deps, { kind: 'owner' }, BASE)).toEqual({});
    const login = await t.call('POST', '/admin/auth/login', { body: { email: address, password: PASSWORD } });
    expect(login.status).toBe(200);
  });

  it('makes reset links for an e-mail through the running server’s control channel', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plaza-staff-control-'));
    const stop = await startControlServer(t.deps, dir, BASE);
    try {
      const address = (
        await t.deps.db.query<{ email: string }>("SELECT email FROM staff_users WHERE role = 'owner'")
      ).rows[0]?.email;
      const link = await askRunningServer<StaffLink>(dir, 'POST', '/staff-links', {
        kind: 'reset',
        email: address,
      });
      expect(link?.url).toMatch(/^http:\/\/127\.0\.0\.1:9123\/console\/accept\?token=/);
      const r = await accept(link?.url ?? '', { password: 'a new owner password' });
      expect(r.status).toBe(200);
      await expect(
        askRunningServer(dir, 'POST', '/staff-links', { kind: 'reset', email: 'nobody@example.com' }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await askRunningServer(dir, 'POST', '/staff-links', { kind: 'owner' })).toEqual({});
    } finally {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
