import { randomBytes } from 'node:crypto';
import { TtlCache } from '../../../platform/cache.ts';
import type { AuthorizeInput, AuthorizeOutcome, PaymentProvider } from './types.ts';

/** Sandbox card numbers (like a payment provider's test mode). */
export const TEST_CARDS = {
  approve: '4242424242424242',
  decline: '4000000000000002',
  insufficientFunds: '4000000000009995',
  timeout: '4000000000000119',
} as const;

const DAY_MS = 24 * 60 * 60_000;

const ref = () => `tc_${randomBytes(8).toString('hex')}`;

/**
 * The `test-card` sandbox: 4242 4242 4242 4242 approves, 4000 0000 0000 0002 is declined,
 * 4000 0000 0000 9995 is declined for insufficient funds, 4000 0000 0000 0119 never answers
 * (the caller's timeout fires). Any other number with a valid Luhn check approves. Like a real
 * provider it is idempotent: authorizing the same payment id again returns the first authorization,
 * and capturing the same authorization again returns the first capture (within this process).
 */
export const testCardProvider = (): PaymentProvider => {
  // what the sandbox remembers, like a provider's idempotency store (a day, at most 100,000 entries)
  const authorizations = new TtlCache<AuthorizeOutcome>(DAY_MS, 100_000);
  const captures = new TtlCache<string>(DAY_MS, 100_000);
  return {
    id: 'test-card',
    label: 'Test card (sandbox)',
    pickupOnly: false,
    async authorize(input: AuthorizeInput): Promise<AuthorizeOutcome> {
      const number = String(input.details.card_number ?? '').replace(/[\s-]/g, '');
      if (number === TEST_CARDS.timeout) return new Promise<never>(() => undefined);
      return authorizations.get(input.paymentId, async () => decide(number));
    },
    async capture({ reference }) {
      return { ok: true, reference: await captures.get(reference, async () => ref()) };
    },
    async void({ reference }) {
      return { ok: true, reference };
    },
    async refund() {
      return { ok: true, reference: ref() };
    },
  };
};

const decide = (number: string): AuthorizeOutcome => {
  if (number === TEST_CARDS.decline) return { status: 'declined', reason: 'card_declined' };
  if (number === TEST_CARDS.insufficientFunds) return { status: 'declined', reason: 'insufficient_funds' };
  if (!luhn(number)) return { status: 'declined', reason: 'invalid_card_number' };
  return { status: 'authorized', reference: ref(), display: `card •••• ${number.slice(-4)}` };
};

/** The Luhn checksum of card numbers. */
export const luhn = (number: string): boolean => {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
};
