import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { newLocation } from '../../../test/support/stock.ts';
import { checkAnonymousId } from './anonymous.ts';
import { normalizePhone } from './phone.ts';

let t: TestApp;
let key: string;
let store: string;
beforeAll(async () => {
  t = await createTestApp();
  key = (await t.channel('web')).key;
  store = await newLocation(t);
});
afterAll(() => t.close());

interface AdminCustomer {
  id: string;
  email: string | null;
  phone: string | null;
  status: string;
  emails: { email: string; verified: boolean; primary: boolean }[];
  phones: { phone: string; primary: boolean }[];
  identities: { id: string; kind: string; value: string; unlinked_at: string | null }[];
  matched?: { kind: string; value: string };
}

let n = 0;
const device = () => `dev-${++n}-${Math.random().toString(36).slice(2, 10)}`;
const register = (email: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) =>
  t.call<{ id: string }>('POST', '/store/customers', {
    key,
    headers,
    body: { email, password: 'long password 1', ...extra },
  });
const login = (email: string, headers: Record<string, string> = {}) =>
  t.call<{ token: string; customer: { id: string } }>('POST', '/store/auth/token', {
    key,
    headers,
    body: { email, password: 'long password 1' },
  });
const lookup = async (identity: string, token?: string) =>
  (
    await t.admin<{ data: AdminCustomer[] }>(
      'GET',
      `/customers?identity=${encodeURIComponent(identity)}`,
      undefined,
      token,
    )
  ).body.data[0];

describe('phone normalisation (E.164)', () => {
  it('reads the common ways of writing a number', () => {
    for (const raw of [
      '+1 (503) 555-0100',
      '503.555.0100',
      '(503) 555 0100',
      '1-503-555-0100',
      '001 503 555 0100',
    ]) {
      expect(normalizePhone(raw, 'US'), raw).toBe('+15035550100');
    }
    expect(normalizePhone('06 12 34 56 78', 'FR')).toBe('+33612345678');
    expect(normalizePhone('+44 (0)20 7946 0958', 'US')).toBe('+442079460958');
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(normalizePhone('06 1234 5678', 'IT')).toBe('+390612345678');
  });

  it('refuses what is not a phone number', () => {
    for (const raw of ['abc', '123', '555-0100 x12', '+0 555 0100', '', '+1234567890123456']) {
      expect(normalizePhone(raw, 'US'), raw).toBeNull();
    }
    expect(normalizePhone('0612345678', 'ZZ')).toBeNull();
  });
});

describe('anonymous ids', () => {
  it('refuses placeholders and junk with INVALID_ANONYMOUS_ID on /store', async () => {
    for (const junk of [
      'null',
      'undefined',
      '0',
      'anonymous',
      'guest',
      '',
      '   ',
      'NULL',
      'Guest',
      '-1',
      'aaaaaaaa',
    ]) {
      expect(checkAnonymousId(junk).ok, junk).toBe(false);
    }
    expect(checkAnonymousId('00000000-0000-0000-0000-000000000000').ok).toBe(false);
    expect(checkAnonymousId('[object Object]').ok).toBe(false);
    expect(checkAnonymousId('3f1c9a52-8b0e-4c1e-9a77-2d5e1b6f0c11')).toEqual({
      ok: true,
      value: '3f1c9a52-8b0e-4c1e-9a77-2d5e1b6f0c11',
    });
    for (const junk of ['null', '0', 'guest', '']) {
      const r = await t.call('POST', '/store/carts', {
        key,
        headers: { 'x-plaza-anonymous-id': junk },
        body: {},
      });
      expect(r.status, junk).toBe(400);
      expect(r.body.code).toBe('INVALID_ANONYMOUS_ID');
    }
    const { rows } = await t.deps.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM customer_identities WHERE kind = 'anonymous'",
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('records the device on carts it touches and links it at registration', async () => {
    const d = device();
    const cart = await t.call<{ cart: { id: string } }>('POST', '/store/carts', {
      key,
      headers: { 'x-plaza-anonymous-id': d },
      body: {},
    });
    expect(cart.status).toBe(201);
    const { rows } = await t.deps.db.query<{ anonymous_id: string }>(
      'SELECT anonymous_id FROM carts WHERE id = $1',
      [cart.body.cart.id],
    );
    expect(rows[0]?.anonymous_id).toBe(d);
    const reg = await register('device-owner@example.com', { 'x-plaza-anonymous-id': d });
    expect(reg.status).toBe(201);
    expect((await lookup(d))?.id).toBe(reg.body.id);
  });

  it('never moves a device linked to A when B logs in on it (shared device)', async () => {
    const d = device();
    const a = await register('shared-a@example.com', { 'x-plaza-anonymous-id': d });
    await register('shared-b@example.com');
    const b = await login('shared-b@example.com', { 'x-plaza-anonymous-id': d });
    expect(b.status).toBe(200);
    const owner = await lookup(d);
    expect(owner?.id).toBe(a.body.id);
    expect(owner?.matched).toEqual({ kind: 'anonymous', value: d });
    // B's session records that it saw the device; B's profile does not get it.
    const { rows } = await t.deps.db.query<{ anonymous_id: string }>(
      'SELECT anonymous_id FROM customer_sessions WHERE customer_id = $1',
      [b.body.customer.id],
    );
    expect(rows.map((r) => r.anonymous_id)).toEqual([d]);
    const bView = await t.admin<AdminCustomer>('GET', `/customers/${b.body.customer.id}`);
    expect(bView.body.identities.filter((i) => i.kind === 'anonymous')).toEqual([]);
    const identify = await t.call<{ device: string }>('POST', '/store/customers/me/identify', {
      key,
      token: b.body.token,
      headers: { 'x-plaza-anonymous-id': d },
    });
    expect(identify.body.device).toBe('linked_to_other');
    expect((await lookup(d))?.id).toBe(a.body.id);
    // A logging in again on the device keeps it.
    const again = await login('shared-a@example.com', { 'x-plaza-anonymous-id': d });
    expect(again.body.customer.id).toBe(a.body.id);
  });
});

describe('profiles and lookup', () => {
  it('creates a customer at a POS without a password and finds it by any identity', async () => {
    const staff = await t.staff([store]);
    const created = await t.admin<AdminCustomer>(
      'POST',
      '/customers',
      {
        email: 'Counter@Example.com',
        phone: '(503) 555-0142',
        first_name: 'Grace',
        external_ids: ['crm:4711'],
        source: 'pos',
        preferred_location_id: store,
      },
      staff,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'counter@example.com',
      phone: '+15035550142',
      has_account: false,
      emails: [{ email: 'counter@example.com', verified: false, primary: true }],
    });
    for (const q of [
      'counter@example.com',
      ' COUNTER@example.com ',
      '+1 503 555 0142',
      '503.555.0142',
      'crm:4711',
    ]) {
      expect((await lookup(q, staff))?.id, q).toBe(created.body.id);
    }
    expect(await lookup('nobody@example.com', staff)).toBeUndefined();
    const again = await t.admin('POST', '/customers', { phone: '+15035550142' }, staff);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ALREADY_EXISTS', customer_id: created.body.id });
    const none = await t.admin('POST', '/customers', { first_name: 'Nobody' }, staff);
    expect(none.status).toBe(400);
    // The account is claimed later by registering with the same email: one profile.
    const reg = await register('counter@example.com');
    expect(reg.body.id).toBe(created.body.id);
  });

  it('lets customers edit their profile and address book', async () => {
    await register('profile@example.com', {}, { first_name: 'Ada' });
    const s = await login('profile@example.com');
    const patch = await t.call<AdminCustomer & { birthday: string; preferred_location_id: string }>(
      'PATCH',
      '/store/customers/me',
      {
        key,
        token: s.body.token,
        body: {
          last_name: 'Lovelace',
          birthday: '1990-12-10',
          language: 'en-GB',
          phone: '503 555 0199',
          preferred_location_id: store,
        },
      },
    );
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({
      last_name: 'Lovelace',
      birthday: '1990-12-10',
      phone: '+15035550199',
      phones: [{ phone: '+15035550199', primary: true }],
      preferred_location_id: store,
    });
    const future = await t.call('PATCH', '/store/customers/me', {
      key,
      token: s.body.token,
      body: { birthday: '2999-01-01' },
    });
    expect(future.status).toBe(400);
    const addr = (line1: string, extra: Record<string, unknown> = {}) =>
      t.call<{ id: string; is_default_shipping: boolean }>('POST', '/store/customers/me/addresses', {
        key,
        token: s.body.token,
        body: { line1, city: 'Portland', country: 'us', ...extra },
      });
    const first = await addr('1 Main St');
    const second = await addr('2 Side St');
    expect(first.body.is_default_shipping).toBe(true);
    expect(second.body.is_default_shipping).toBe(false);
    await t.call('PATCH', `/store/customers/me/addresses/${second.body.id}`, {
      key,
      token: s.body.token,
      body: { is_default_shipping: true },
    });
    const list = await t.call<{ data: { id: string; is_default_shipping: boolean; country: string }[] }>(
      'GET',
      '/store/customers/me/addresses',
      { key, token: s.body.token },
    );
    expect(list.body.data.map((a) => [a.id, a.is_default_shipping, a.country])).toEqual([
      [first.body.id, false, 'US'],
      [second.body.id, true, 'US'],
    ]);
    const del = await t.call('DELETE', `/store/customers/me/addresses/${first.body.id}`, {
      key,
      token: s.body.token,
    });
    expect(del.status).toBe(204);
    // Someone else's address is not theirs to change.
    await register('other-profile@example.com');
    const o = await login('other-profile@example.com');
    const steal = await t.call('DELETE', `/store/customers/me/addresses/${second.body.id}`, {
      key,
      token: o.body.token,
    });
    expect(steal.status).toBe(404);
  });

  it('never moves an identity from one identified customer to another', async () => {
    const a = await register('ident-a@example.com', {}, { phone: '503 555 0111' });
    const b = await register('ident-b@example.com');
    const steal = await t.admin('POST', `/customers/${b.body.id}/identities`, {
      kind: 'phone',
      value: '+1 503 555 0111',
    });
    expect(steal.status).toBe(409);
    expect(steal.body.code).toBe('ALREADY_EXISTS');
    expect((await lookup('5035550111'))?.id).toBe(a.body.id);
    // A secondary email; making it primary moves the login email.
    const add = await t.admin<{ id: string }>('POST', `/customers/${b.body.id}/identities`, {
      kind: 'email',
      value: 'b-work@example.com',
      verified: true,
    });
    expect(add.status).toBe(201);
    const primary = await t.admin('PATCH', `/customers/${b.body.id}/identities/${add.body.id}`, {
      primary: true,
    });
    expect(primary.status).toBe(200);
    const view = await t.admin<AdminCustomer>('GET', `/customers/${b.body.id}`);
    expect(view.body.email).toBe('b-work@example.com');
    expect(view.body.emails).toEqual([
      { email: 'b-work@example.com', verified: true, primary: true },
      { email: 'ident-b@example.com', verified: false, primary: false },
    ]);
    const unlink = await t.admin<{ unlinked_at: string }>(
      'DELETE',
      `/customers/${b.body.id}/identities/${add.body.id}`,
    );
    expect(unlink.status).toBe(409); // the primary email cannot be removed
  });

  it('imports customers one by one (admin only): duplicates and unreadable phones are refused individually', async () => {
    const staff = await t.staff([store]);
    const r = await t.admin('POST', '/customers/import', { customers: [{ email: 'x@example.com' }] }, staff);
    expect(r.status).toBe(403);
    const imp = await t.admin<{ created: unknown[]; refused: { index: number; code: string }[] }>(
      'POST',
      '/customers/import',
      { customers: [{ email: 'imp1@example.com' }, { email: 'imp1@example.com' }, { phone: '123' }] },
    );
    expect(imp.body.created).toHaveLength(1);
    expect(imp.body.refused.map((x) => [x.index, x.code])).toEqual([
      [1, 'ALREADY_EXISTS'],
      [2, 'VALIDATION_FAILED'],
    ]);
  });
});
