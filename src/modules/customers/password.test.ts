import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { hashPassword, needsRehash, PASSWORD_COST, verifyPassword } from '../../platform/crypto.ts';

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await createTestApp();
  key = (await t.channel('web')).key;
});
afterAll(() => t.close());

const storedHash = async (email: string) =>
  (
    await t.deps.db.query<{ password_hash: string }>('SELECT password_hash FROM customers WHERE email = $1', [
      email,
    ])
  ).rows[0]?.password_hash ?? '';

const costOf = (hash: string) => hash.split('$').slice(1, 4).map(Number);

/** An account whose stored hash was made at `cost` (as an older Plaza release stored it). */
const accountWithHash = async (
  email: string,
  password: string,
  cost: { N: number; r: number; p: number },
) => {
  const reg = await t.call('POST', '/store/customers', { key, body: { email, password: 'placeholder pw' } });
  expect(reg.status).toBe(201);
  await t.deps.db.query('UPDATE customers SET password_hash = $2 WHERE email = $1', [
    email,
    await hashPassword(password, cost),
  ]);
};

const login = (email: string, password: string) =>
  t.call<{ token: string }>('POST', '/store/auth/token', { key, body: { email, password } });

describe('password hashes: stored parameters honoured, upgraded on login', () => {
  it('uses an OWASP scrypt setting in production (N=2^15, r=8, p=3: 32 MiB, as strong as N=2^17 p=1)', () => {
    expect(PASSWORD_COST).toEqual({ N: 2 ** 15, r: 8, p: 3 });
    expect(needsRehash(`scrypt$16384$8$1$${'A'.repeat(24)}$${'B'.repeat(44)}`, PASSWORD_COST)).toBe(true);
    expect(needsRehash(`scrypt$32768$8$3$${'A'.repeat(24)}$${'B'.repeat(44)}`, PASSWORD_COST)).toBe(false);
    expect(needsRehash('bcrypt$whatever', PASSWORD_COST)).toBe(true);
  });

  it('verifies a hash with the N, r and p stored in it, not with the current ones', async () => {
    const low = await hashPassword('a fine password', { N: 1024, r: 8, p: 1 });
    expect(costOf(low)).toEqual([1024, 8, 1]);
    expect(await verifyPassword('a fine password', low)).toBe(true);
    expect(await verifyPassword('a fine passwore', low)).toBe(false);
    // A corrupt row cannot ask for gigabytes.
    expect(await verifyPassword('x', low.replace('$1024$', '$1073741824$'))).toBe(false);
  });

  it('upgrades a weaker stored hash at the next successful login, and only then', async () => {
    await accountWithHash('old@example.com', 'remember me', { N: 1024, r: 8, p: 1 });
    expect((await login('old@example.com', 'wrong one')).status).toBe(401);
    expect(costOf(await storedHash('old@example.com'))).toEqual([1024, 8, 1]);
    expect((await login('old@example.com', 'remember me')).status).toBe(200);
    const upgraded = await storedHash('old@example.com');
    expect(costOf(upgraded)).not.toEqual([1024, 8, 1]);
    expect(needsRehash(upgraded)).toBe(false);
    expect((await login('old@example.com', 'remember me')).status).toBe(200);
  });

  it('upgrades the previous cost (N=2^14, p=1) to the production cost through the real login', async () => {
    const previous = process.env.PLAZA_TEST_PASSWORD_COST;
    delete process.env.PLAZA_TEST_PASSWORD_COST; // production cost for this test only
    try {
      await accountWithHash('prod@example.com', 'hunter2 hunter2', { N: 2 ** 14, r: 8, p: 1 });
      expect((await login('prod@example.com', 'hunter2 hunter2')).status).toBe(200);
      const upgraded = await storedHash('prod@example.com');
      expect(costOf(upgraded)).toEqual([2 ** 15, 8, 3]);
      expect(await verifyPassword('hunter2 hunter2', upgraded)).toBe(true);
    } finally {
      process.env.PLAZA_TEST_PASSWORD_COST = previous;
    }
  });
});
