import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** SHA-256 hex of a high-entropy secret (API tokens). Not for passwords. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export const hmacSha256 = (secret: string, payload: string): string =>
  createHmac('sha256', secret).update(payload).digest('hex');

/** scrypt cost parameters: N (CPU/memory cost, a power of 2), r (block size), p (parallelism). */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/**
 * The cost of new password hashes: one of the OWASP Password Storage Cheat Sheet's equivalent scrypt
 * settings (N=2^17 r=8 p=1, N=2^16 r=8 p=2, N=2^15 r=8 p=3, N=2^14 r=8 p=5, N=2^13 r=8 p=10).
 * N=2^15, r=8, p=3 does about as much work as N=2^17 p=1 but needs 32 MiB per hash instead of
 * 128 MiB, so four logins at once (libuv's thread pool) stay at 128 MiB. Measured times are in
 * docs/customers.md. Hashes stored with less are upgraded at the next successful login.
 */
export const PASSWORD_COST: Readonly<ScryptCost> = { N: 2 ** 15, r: 8, p: 3 };

/**
 * Test-only: with PLAZA_TEST_PASSWORD_COST=low under the test runner (VITEST is set), new hashes
 * use N=2^12 r=8 p=1 so the suite's many registrations stay fast. Ignored outside tests.
 */
const TEST_COST: Readonly<ScryptCost> = { N: 2 ** 12, r: 8, p: 1 };

/** The cost new hashes get (PASSWORD_COST, or the test-only low cost). */
export const currentPasswordCost = (): Readonly<ScryptCost> =>
  process.env.VITEST && process.env.PLAZA_TEST_PASSWORD_COST === 'low' ? TEST_COST : PASSWORD_COST;

const KEYLEN = 32;

/** Bounds on stored parameters, so a corrupt row cannot make one login take minutes or gigabytes. */
const saneCost = (c: ScryptCost): boolean =>
  Number.isInteger(Math.log2(c.N)) &&
  c.N >= 2 &&
  c.N <= 2 ** 20 &&
  c.r >= 1 &&
  c.r <= 32 &&
  c.p >= 1 &&
  c.p <= 16;

const scryptAsync = (password: string, salt: Buffer, cost: ScryptCost, keylen: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    // Node refuses more than 32 MiB unless maxmem is raised; scrypt needs 128·N·r bytes (+ 128·r·p).
    const maxmem = 128 * cost.r * (cost.N + cost.p + 2) + 1024 * 1024;
    scrypt(password, salt, keylen, { ...cost, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });

/** Hashes a password with scrypt and a random salt: `scrypt$N$r$p$salt$hash` (base64). */
export const hashPassword = async (
  password: string,
  cost: Readonly<ScryptCost> = currentPasswordCost(),
): Promise<string> => {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, cost, KEYLEN);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
};

interface StoredHash {
  cost: ScryptCost;
  salt: Buffer;
  hash: Buffer;
}

const parseStored = (stored: string): StoredHash | undefined => {
  const [scheme, n, r, p, saltB64, hashB64, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !hashB64 || rest.length > 0) return undefined;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (!saneCost(cost)) return undefined;
  const hash = Buffer.from(hashB64, 'base64');
  return hash.length >= 16 ? { cost, salt: Buffer.from(saltB64, 'base64'), hash } : undefined;
};

/** A hash of a random password, used to spend the same time when an account does not exist. */
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = (): Promise<string> => {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
};

/**
 * Constant-time check of a password against a stored scrypt hash, with the N, r and p stored in
 * it (so hashes made at an older cost still verify after the cost is raised).
 */
export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const h = parseStored(stored);
  if (!h) return false;
  const actual = await scryptAsync(password, h.salt, h.cost, h.hash.length);
  return timingSafeEqual(h.hash, actual);
};

/**
 * True when a stored hash was made with less than the current cost (any of N, r, p lower) or cannot
 * be read: after a successful login, hash the password again with `hashPassword`.
 */
export const needsRehash = (stored: string, cost: Readonly<ScryptCost> = currentPasswordCost()): boolean => {
  const h = parseStored(stored);
  return !h || h.cost.N < cost.N || h.cost.r < cost.r || h.cost.p < cost.p || h.hash.length < KEYLEN;
};

/** Constant-time string comparison. */
export const safeEqual = (a: string, b: string): boolean => {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
};
