import { randomBytes } from 'node:crypto';

/** Crockford base32, the ULID alphabet: sortable, no ambiguous letters. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastTime = 0;
let lastRandom: Uint8Array = new Uint8Array(10);

const encodeTime = (ms: number): string => {
  let out = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
};

const encodeRandom = (bytes: Uint8Array): string => {
  // 80 bits -> 16 base32 chars
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return out;
};

const increment = (bytes: Uint8Array): Uint8Array => {
  const next = new Uint8Array(bytes);
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] === 255) {
      next[i] = 0;
      continue;
    }
    next[i] = (next[i] ?? 0) + 1;
    break;
  }
  return next;
};

/** A ULID: 26 characters, lexicographically sortable by creation time, monotonic within a process. */
export const ulid = (now: number = Date.now()): string => {
  if (now <= lastTime) {
    lastRandom = increment(lastRandom);
  } else {
    lastTime = now;
    lastRandom = new Uint8Array(randomBytes(10));
  }
  return encodeTime(lastTime) + encodeRandom(lastRandom);
};

/** A prefixed, sortable id such as `ord_01J9Z…`. */
export const newId = (prefix: string): string => `${prefix}_${ulid()}`;

/** A random secret with a readable prefix, e.g. `pk_…` or `plz_at_…` (base64url, 32 bytes by default). */
export const newSecret = (prefix: string, bytes = 32): string =>
  `${prefix}${randomBytes(bytes).toString('base64url')}`;

/** Random characters from an alphabet without look-alikes (no 0/O, 1/I/L). */
export const randomCode = (length: number, alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'): string => {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    // rejection sampling keeps the distribution uniform
    if (b < 256 - (256 % alphabet.length)) out += alphabet[b % alphabet.length];
  }
  return out.length === length ? out : randomCode(length, alphabet);
};
