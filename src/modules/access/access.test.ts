import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { newLocation } from '../../../test/support/stock.ts';
import { sha256 } from '../../platform/crypto.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('admin tokens', () => {
  it('refuses /admin without a token', async () => {
    const r = await t.call('GET', '/admin/channels');
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('UNAUTHORIZED');
    expect(r.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses a malformed Authorization header', async () => {
    const r = await t.call('GET', '/admin/channels', { headers: { authorization: 'Token abc' } });
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('UNAUTHORIZED');
  });

  it('refuses publishable keys on /admin, in the channel header or as a bearer token', async () => {
    const { key } = await t.channel('web');
    const inHeader = await t.call('GET', '/admin/channels', { key });
    expect(inHeader.status).toBe(401);
    expect(inHeader.body.detail).toMatch(/Publishable channel keys are not accepted/);
    const asBearer = await t.call('GET', '/admin/channels', { token: key });
    expect(asBearer.status).toBe(401);
    expect(asBearer.body.detail).toMatch(/Publishable channel keys are not accepted/);
  });

  it('refuses customer tokens on /admin', async () => {
    const { key } = await t.channel('web');
    await t.call('POST', '/store/customers', {
      key,
      body: { email: 'adm@example.com', password: 'correct horse' },
    });
    const login = await t.call<{ token: string }>('POST', '/store/auth/token', {
      key,
      body: { email: 'adm@example.com', password: 'correct horse' },
    });
    expect(login.status).toBe(200);
    const r = await t.call('GET', '/admin/channels', { token: login.body.token });
    expect(r.status).toBe(401);
    expect(r.body.detail).toMatch(/Customer tokens are not accepted/);
  });

  it('creates tokens shown once and stored hashed', async () => {
    const r = await t.admin<{ token: string; admin_token: { id: string; token_hint: string } }>(
      'POST',
      '/tokens',
      {
        name: 'ops',
        scope: 'admin',
      },
    );
    expect(r.status).toBe(201);
    expect(r.body.token).toMatch(/^plz_at_/);
    const { rows } = await t.deps.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM admin_tokens WHERE id = $1',
      [r.body.admin_token.id],
    );
    expect(rows[0]?.token_hash).toBe(sha256(r.body.token));
    expect(rows[0]?.token_hash).not.toContain(r.body.token);
    const list = await t.admin<{ data: Record<string, unknown>[] }>('GET', '/tokens');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(r.body.token);
    expect(list.body.data.some((x) => x.id === r.body.admin_token.id)).toBe(true);
    const ok = await t.admin('GET', '/channels', undefined, r.body.token);
    expect(ok.status).toBe(200);
  });

  it('revokes a token at once', async () => {
    const created = await t.admin<{ token: string; admin_token: { id: string } }>('POST', '/tokens', {
      name: 'temp',
      scope: 'admin',
    });
    expect((await t.admin('GET', '/channels', undefined, created.body.token)).status).toBe(200);
    const revoked = await t.admin<{ revoked_at: string }>('DELETE', `/tokens/${created.body.admin_token.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).toBeTruthy();
    const after = await t.admin('GET', '/channels', undefined, created.body.token);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('UNAUTHORIZED');
  });

  it('requires locations for staff tokens and none for admin tokens', async () => {
    const staff = await t.admin('POST', '/tokens', { name: 'clerk', scope: 'staff' });
    expect(staff.status).toBe(400);
    expect(staff.body.code).toBe('VALIDATION_FAILED');
    const admin = await t.admin('POST', '/tokens', {
      name: 'x',
      scope: 'admin',
      location_ids: ['loc_01JAAAAAAAAAAAAAAAAAAAAAAA'],
    });
    expect(admin.status).toBe(400);
  });

  it('refuses a staff token for a location that does not exist', async () => {
    const store = await newLocation(t);
    const ghost = 'loc_01JAAAAAAAAAAAAAAAAAAAAAAA';
    const r = await t.admin('POST', '/tokens', {
      name: 'clerk',
      scope: 'staff',
      location_ids: [store, ghost],
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    expect(r.body.errors).toEqual([
      { path: 'body.location_ids.1', message: `location ${ghost} does not exist` },
    ]);
    const count = await t.deps.db.query("SELECT 1 FROM admin_tokens WHERE name = 'clerk'");
    expect(count.rowCount).toBe(0);
    const ok = await t.admin('POST', '/tokens', { name: 'clerk', scope: 'staff', location_ids: [store] });
    expect(ok.status).toBe(201);
  });

  it('keeps staff tokens off admin-only endpoints', async () => {
    const staff = await t.admin<{ token: string }>('POST', '/tokens', {
      name: 'clerk 2',
      scope: 'staff',
      location_ids: [await newLocation(t)],
    });
    expect(staff.status).toBe(201);
    for (const [method, url] of [
      ['GET', '/channels'],
      ['POST', '/tokens'],
      ['GET', '/webhooks'],
    ] as const) {
      const r = await t.admin(
        method,
        url,
        method === 'POST' ? { name: 'x', scope: 'admin' } : undefined,
        staff.body.token,
      );
      expect(r.status, `${method} ${url}`).toBe(403);
      expect(r.body.code).toBe('FORBIDDEN');
    }
  });

  it('refuses to revoke the last active admin token', async () => {
    const list = await t.admin<{ data: { id: string; scope: string }[] }>('GET', '/tokens');
    const admins = list.body.data.filter((x) => x.scope === 'admin');
    // Revoke all admin tokens but the one in use, then try the last one.
    const mine = (
      await t.deps.db.query<{ id: string }>('SELECT id FROM admin_tokens WHERE token_hash = $1', [
        sha256(t.adminToken),
      ])
    ).rows[0]?.id;
    for (const a of admins)
      if (a.id !== mine) expect((await t.admin('DELETE', `/tokens/${a.id}`)).status).toBe(200);
    const last = await t.admin('DELETE', `/tokens/${mine}`);
    expect(last.status).toBe(409);
    expect(last.body.code).toBe('CONFLICT');
  });

  it('answers NOT_FOUND for an unknown token id and VALIDATION_FAILED for a malformed one', async () => {
    expect((await t.admin('DELETE', '/tokens/tok_01JAAAAAAAAAAAAAAAAAAAAAAA')).body.code).toBe('NOT_FOUND');
    const bad = await t.admin('DELETE', '/tokens/nope');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});
