import { randomBytes } from 'node:crypto';
import { TtlCache } from '../../../platform/cache.ts';
import { dbLedger, memoryLedger, type SandboxLedger } from './sandbox-ledger.ts';
import type {
  AuthorizeInput,
  AuthorizeOutcome,
  PaymentProvider,
  ProviderContext,
  ProviderState,
} from './types.ts';

/** Sandbox card numbers (like a payment provider's test mode). */
export const TEST_CARDS = {
  approve: '4242424242424242',
  decline: '4000000000000002',
  insufficientFunds: '4000000000009995',
  timeout: '4000000000000119',
  /** Authorizes; the capture takes the money, then the answer is lost (the call fails). */
  captureLost: '4000000000000341',
} as const;

const DAY_MS = 24 * 60 * 60_000;
/** Authorizations of `captureLost` cards carry this prefix, so that their capture knows. */
const LOST = 'tc_lost_';

const ref = (prefix = 'tc_') => `${prefix}${randomBytes(8).toString('hex')}`;

/**
 * The `test-card` sandbox: 4242 4242 4242 4242 approves, 4000 0000 0000 0002 is declined,
 * 4000 0000 0000 9995 is declined for insufficient funds, 4000 0000 0000 0119 never answers
 * (the caller's timeout fires), 4000 0000 0000 0341 captures and then fails to answer. Any other
 * number with a valid Luhn check approves. Like a real provider it is idempotent on Plaza's payment
 * id: authorizing or capturing the same payment again returns the first answer, a void after the
 * capture is refused, and a capture after a void or refund is refused. Authorizations live in the
 * process's memory; captures, voids and refunds in its ledger (`sandbox_card_payments` when the
 * caller passes the database, so that they survive a killed Plaza process and `lookup` sees them).
 */
export const testCardProvider = (): PaymentProvider => {
  // what the sandbox remembers, like a provider's idempotency store (a day, at most 100,000 entries)
  const authorizations = new TtlCache<AuthorizeOutcome>(DAY_MS, 100_000);
  const memory = memoryLedger();
  const ledger = (ctx?: ProviderContext): SandboxLedger => (ctx?.db ? dbLedger(ctx.db) : memory);
  return {
    id: 'test-card',
    label: 'Test card (sandbox)',
    pickupOnly: false,
    async authorize(input: AuthorizeInput): Promise<AuthorizeOutcome> {
      const number = String(input.details.card_number ?? '').replace(/[\s-]/g, '');
      if (number === TEST_CARDS.timeout) return new Promise<never>(() => undefined);
      return authorizations.get(input.paymentId, async () => decide(number));
    },
    async capture({ paymentId, reference, amount }, ctx) {
      const captureReference = ref();
      const stored = await ledger(ctx).insert({
        payment_id: paymentId,
        reference,
        status: 'captured',
        amount,
        captured_amount: amount,
        refunded_amount: 0,
        capture_reference: captureReference,
      });
      if (stored.status === 'voided') return { ok: false, reason: 'authorization_voided' };
      if (stored.status === 'refunded') return { ok: false, reason: 'payment_refunded' };
      // the first answer for a `captureLost` card is lost on the way back (a retry gets it)
      if (reference.startsWith(LOST) && stored.capture_reference === captureReference) {
        throw new Error('test-card: connection reset after the capture');
      }
      return { ok: true, reference: stored.capture_reference ?? reference };
    },
    async void({ paymentId, reference }, ctx) {
      const stored = await ledger(ctx).insert({
        payment_id: paymentId,
        reference,
        status: 'voided',
        amount: 0,
        captured_amount: 0,
        refunded_amount: 0,
        capture_reference: null,
      });
      return stored.status === 'voided' ? { ok: true, reference } : { ok: false, reason: 'already_captured' };
    },
    async refund({ paymentId, amount }, ctx) {
      const l = ledger(ctx);
      if (!(await l.get(paymentId))) return { ok: true, reference: ref() }; // captured before the ledger
      const done = await l.refund(paymentId, amount);
      return done ? { ok: true, reference: ref() } : { ok: false, reason: 'amount_exceeds_captured' };
    },
    async lookup({ paymentId }, ctx): Promise<ProviderState> {
      const row = await ledger(ctx).get(paymentId);
      if (row) {
        return {
          status: row.status,
          reference: row.reference,
          captured_amount: row.captured_amount,
          refunded_amount: row.refunded_amount,
        };
      }
      const auth = await authorizations.peek(paymentId);
      return auth?.status === 'authorized'
        ? { status: 'authorized', reference: auth.reference, captured_amount: 0, refunded_amount: 0 }
        : { status: 'unknown' };
    },
  };
};

const decide = (number: string): AuthorizeOutcome => {
  if (number === TEST_CARDS.decline) return { status: 'declined', reason: 'card_declined' };
  if (number === TEST_CARDS.insufficientFunds) return { status: 'declined', reason: 'insufficient_funds' };
  if (!luhn(number)) return { status: 'declined', reason: 'invalid_card_number' };
  const lost = number === TEST_CARDS.captureLost;
  return {
    status: 'authorized',
    reference: ref(lost ? LOST : 'tc_'),
    display: `card •••• ${number.slice(-4)}`,
  };
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
