import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { newLocation } from '../../../test/support/stock.ts';
import { normalizeIdentity } from './identities.ts';
import { normalizePhone } from './phone.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Numbers as typed at a counter in their country, and their E.164 form. */
const LOCAL: [country: string, typed: string, e164: string][] = [
  ['PH', '09171234567', '+639171234567'],
  ['KR', '010-1234-5678', '+821012345678'],
  ['AE', '0501234567', '+971501234567'],
  ['CN', '13812345678', '+8613812345678'],
  ['RU', '8 (912) 345-67-89', '+79123456789'],
];

describe('phones through libphonenumber-js', () => {
  it('reads local numbers in their own country (PH, KR, AE, CN, RU)', () => {
    for (const [country, typed, e164] of LOCAL) expect(normalizePhone(typed, country), typed).toBe(e164);
  });

  it('leaves a normalised number as it is, in any default country (the send gate hashes stored numbers as they are)', () => {
    for (const [, , e164] of LOCAL)
      for (const country of ['US', 'PH', 'KR', 'AE', 'CN', 'RU', 'GB'])
        expect(normalizePhone(e164, country)).toBe(e164);
    expect(normalizePhone('+442079460958', 'US')).toBe('+442079460958');
  });

  it('refuses numbers that are not valid in the country, and extensions', () => {
    expect(normalizePhone('0917123456', 'PH')).toBeNull(); // one digit short
    expect(normalizePhone('+1 503 555 0100 ext 5', 'US')).toBeNull();
    expect(normalizePhone('+999 1234 5678', 'US')).toBeNull(); // no such country code
    expect(normalizePhone('00 44 20 7946 0958', 'US')).toBe('+442079460958'); // 00 read as international
  });
});

describe('a default country per store location and per channel', () => {
  it('finds a customer from a local number typed at a Manila counter (POS and admin lookup)', async () => {
    const manila = await newLocation(t, {
      address: { line1: '1 Ayala Ave', city: 'Makati', country: 'PH' },
      timezone: 'Asia/Manila',
      latitude: 14.55,
      longitude: 121.02,
    });
    const staff = await t.staff([manila]);
    const created = await t.admin<{ id: string; phone: string }>(
      'POST',
      '/customers',
      { phone: '0917 123 4567', first_name: 'Maria' },
      staff,
    );
    expect(created.status).toBe(201);
    expect(created.body.phone).toBe('+639171234567');

    const pos = await t.admin<{ data: { id: string }[] }>(
      'GET',
      '/pos/customers?phone=09171234567',
      undefined,
      staff,
    );
    expect(pos.status).toBe(200);
    expect(pos.body.data.map((c) => c.id)).toEqual([created.body.id]);
    const admin = await t.admin<{ data: { id: string }[] }>(
      'GET',
      `/customers?identity=09171234567`,
      undefined,
      staff,
    );
    expect(admin.body.data.map((c) => c.id)).toEqual([created.body.id]);
    // An admin token names the counter; without it the number is read in PLAZA_COUNTRY (US here).
    expect(
      (await t.admin<{ data: unknown[] }>('GET', `/pos/customers?phone=09171234567&location_id=${manila}`))
        .body.data,
    ).toHaveLength(1);
    expect(
      (await t.admin<{ data: unknown[] }>('GET', '/pos/customers?phone=09171234567')).body.data,
    ).toHaveLength(0);
    const named = await t.admin<{ data: { id: string }[] }>(
      'GET',
      `/customers?identity=09171234567&location_id=${manila}`,
    );
    expect(named.body.data.map((c) => c.id)).toEqual([created.body.id]);
  });

  it("reads a counter's numbers in the location's default_country over its address country", async () => {
    const dubaiDesk = await newLocation(t, {
      address: { line1: 'Terminal 3', city: 'Doha', country: 'QA' },
      timezone: 'Asia/Qatar',
      default_country: 'AE',
    });
    const staff = await t.staff([dubaiDesk]);
    const c = await t.admin<{ phone: string }>('POST', '/customers', { phone: '0501234567' }, staff);
    expect(c.status).toBe(201);
    expect(c.body.phone).toBe('+971501234567');
  });

  it("reads numbers given at registration and in the profile in the channel's default_country", async () => {
    const ch = await t.channel('web');
    const set = await t.admin('PATCH', `/channels/${ch.id}`, { settings: { default_country: 'KR' } });
    expect(set.status).toBe(200);
    expect(
      (await t.admin('PATCH', `/channels/${ch.id}`, { settings: { default_country: 'ZZ' } })).status,
    ).toBe(400);
    const reg = await t.call<{ id: string; phone: string }>('POST', '/store/customers', {
      key: ch.key,
      body: { email: 'minji@example.kr', password: 'long password 1', phone: '010-1234-5678' },
    });
    expect(reg.status).toBe(201);
    expect(reg.body.phone).toBe('+821012345678');

    await t.admin('PATCH', `/channels/${ch.id}`, { settings: { default_country: 'CN' } });
    const login = await t.call<{ token: string }>('POST', '/store/auth/token', {
      key: ch.key,
      body: { email: 'minji@example.kr', password: 'long password 1' },
    });
    const me = await t.call<{ phone: string }>('PATCH', '/store/customers/me', {
      key: ch.key,
      token: login.body.token,
      body: { phone: '138 1234 5678' },
    });
    expect(me.status).toBe(200);
    expect(me.body.phone).toBe('+8613812345678');
  });
});

describe('e-mail through validator', () => {
  it('refuses addresses a mail server would refuse', async () => {
    for (const bad of [
      'a@example..com',
      'a@.example.com',
      'a@example',
      'a b@example.com',
      `${'x'.repeat(65)}@example.com`,
    ]) {
      expect(normalizeIdentity('email', bad, 'US'), bad).toBeNull();
    }
    expect(normalizeIdentity('email', ' Ada@Example.COM ', 'US')).toBe('ada@example.com');
    const c = await t.admin<{ id: string }>('POST', '/customers', { phone: '+1 503 555 0142' });
    const link = await t.admin('POST', `/customers/${c.body.id}/identities`, {
      kind: 'email',
      value: 'a@example..com',
    });
    expect(link.status).toBe(400);
    expect(link.body.code).toBe('VALIDATION_FAILED');
    const key = (await t.channel('web')).key;
    for (const email of ['a@example..com', 'a@example']) {
      const reg = await t.call('POST', '/store/customers', {
        key,
        body: { email, password: 'long password 1' },
      });
      expect(reg.status, email).toBe(400);
    }
  });
});
