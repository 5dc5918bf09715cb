import { TtlCache } from '../../../platform/cache.ts';
import type { Queryable } from '../../../platform/db.ts';

/** One payment as the `test-card` sandbox remembers it once money moved (or the authorization ended). */
export interface SandboxPayment {
  payment_id: string;
  reference: string;
  status: 'captured' | 'voided' | 'refunded';
  amount: number;
  captured_amount: number;
  refunded_amount: number;
  capture_reference: string | null;
}

/**
 * Where the sandbox keeps what it did, like a real provider's own database. With a database it is the
 * `sandbox_card_payments` table, written outside Plaza's transactions (a Plaza rollback or a killed
 * process cannot undo it, and every process sees it); without one, the process's memory.
 */
export interface SandboxLedger {
  get(paymentId: string): Promise<SandboxPayment | undefined>;
  /** Inserts the row unless the payment has one; returns the row that is stored. */
  insert(row: SandboxPayment): Promise<SandboxPayment>;
  /** Adds a refund if it fits in what was captured; the updated row, or undefined if it does not fit. */
  refund(paymentId: string, amount: number): Promise<SandboxPayment | undefined>;
}

const COLS = 'payment_id, reference, status, amount, captured_amount, refunded_amount, capture_reference';

const numbers = (r: SandboxPayment): SandboxPayment => ({
  ...r,
  amount: Number(r.amount),
  captured_amount: Number(r.captured_amount),
  refunded_amount: Number(r.refunded_amount),
});

export const dbLedger = (db: Queryable): SandboxLedger => ({
  async get(paymentId) {
    const { rows } = await db.query<SandboxPayment>(
      `SELECT ${COLS} FROM sandbox_card_payments WHERE payment_id = $1`,
      [paymentId],
    );
    return rows[0] ? numbers(rows[0]) : undefined;
  },
  async insert(r) {
    const { rows } = await db.query<SandboxPayment>(
      `INSERT INTO sandbox_card_payments (${COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (payment_id) DO NOTHING RETURNING ${COLS}`,
      [
        r.payment_id,
        r.reference,
        r.status,
        r.amount,
        r.captured_amount,
        r.refunded_amount,
        r.capture_reference,
      ],
    );
    return rows[0] ? numbers(rows[0]) : ((await this.get(r.payment_id)) as SandboxPayment);
  },
  async refund(paymentId, amount) {
    const { rows } = await db.query<SandboxPayment>(
      `UPDATE sandbox_card_payments SET refunded_amount = refunded_amount + $2,
         status = CASE WHEN refunded_amount + $2 = captured_amount THEN 'refunded' ELSE status END,
         updated_at = now()
       WHERE payment_id = $1 AND status IN ('captured', 'refunded') AND refunded_amount + $2 <= captured_amount
       RETURNING ${COLS}`,
      [paymentId, amount],
    );
    return rows[0] ? numbers(rows[0]) : undefined;
  },
});

const DAY_MS = 24 * 60 * 60_000;

export const memoryLedger = (): SandboxLedger => {
  const rows = new TtlCache<SandboxPayment>(DAY_MS, 100_000);
  return {
    get: async (paymentId) => rows.peek(paymentId),
    insert: (r) => rows.get(r.payment_id, async () => r),
    async refund(paymentId, amount) {
      const r = await rows.peek(paymentId);
      if (!r || r.status === 'voided' || r.refunded_amount + amount > r.captured_amount) return undefined;
      const refunded = r.refunded_amount + amount;
      const next: SandboxPayment = {
        ...r,
        refunded_amount: refunded,
        status: refunded === r.captured_amount ? 'refunded' : r.status,
      };
      rows.set(paymentId, next);
      return next;
    },
  };
};
