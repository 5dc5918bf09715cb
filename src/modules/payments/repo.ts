import type { WriteBatch } from '../../platform/batch.ts';
import type { Queryable } from '../../platform/db.ts';
import type { PaymentStatus } from './machine.ts';

export interface PaymentRow {
  id: string;
  order_id: string;
  provider: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  captured_amount: number;
  refunded_amount: number;
  reference: string | null;
  display: string | null;
  failure_reason: string | null;
  /** The provider call this payment waits for (committed before the call), or null. */
  provider_action: ProviderAction | null;
  provider_action_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Provider calls whose outcome a crash could lose: see migrations/0010_payment_reconcile.sql. */
export type ProviderAction = 'charge' | 'capture' | 'void' | 'compensate';

const COLS = `id, order_id, provider, status, amount, currency, captured_amount, refunded_amount, reference, display,
  failure_reason, provider_action, provider_action_at, created_at, updated_at`;

export const paymentToApi = (p: PaymentRow) => ({
  id: p.id,
  provider: p.provider,
  status: p.status,
  amount: p.amount,
  currency: p.currency,
  captured_amount: p.captured_amount,
  refunded_amount: p.refunded_amount,
  display: p.display,
  failure_reason: p.failure_reason,
  created_at: p.created_at.toISOString(),
});

/** A payment row's values in the order of COLS. */
const paymentValues = (p: PaymentRow): unknown[] => [
  p.id,
  p.order_id,
  p.provider,
  p.status,
  p.amount,
  p.currency,
  p.captured_amount,
  p.refunded_amount,
  p.reference,
  p.display,
  p.failure_reason,
  p.provider_action,
  p.provider_action_at,
  p.created_at,
  p.updated_at,
];

export const insertPayment = async (q: Queryable, p: PaymentRow): Promise<PaymentRow> =>
  (
    await q.query<PaymentRow>(
      `INSERT INTO payments (${COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING ${COLS}`,
      paymentValues(p),
    )
  ).rows[0] as PaymentRow;

export const getPayment = async (q: Queryable, id: string, lock = false): Promise<PaymentRow | undefined> =>
  (await q.query<PaymentRow>(`SELECT ${COLS} FROM payments WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]))
    .rows[0];

export const paymentsOfOrders = async (q: Queryable, orderIds: string[]): Promise<PaymentRow[]> =>
  (await q.query<PaymentRow>(`SELECT ${COLS} FROM payments WHERE order_id = ANY($1) ORDER BY id`, [orderIds]))
    .rows;

export const updatePayment = async (
  q: Queryable,
  id: string,
  p: Partial<
    Pick<
      PaymentRow,
      'status' | 'captured_amount' | 'refunded_amount' | 'reference' | 'display' | 'failure_reason'
    >
  >,
  at: Date,
): Promise<PaymentRow> =>
  (
    await q.query<PaymentRow>(
      `UPDATE payments SET status = coalesce($2, status), captured_amount = coalesce($3, captured_amount),
         refunded_amount = coalesce($4, refunded_amount), reference = coalesce($5, reference),
         display = coalesce($6, display), failure_reason = coalesce($7, failure_reason), updated_at = $8
       WHERE id = $1 RETURNING ${COLS}`,
      [
        id,
        p.status ?? null,
        p.captured_amount ?? null,
        p.refunded_amount ?? null,
        p.reference ?? null,
        p.display ?? null,
        p.failure_reason ?? null,
        at,
      ],
    )
  ).rows[0] as PaymentRow;

/** Stages a payment row into a write batch. */
export const stagePaymentRow = (batch: WriteBatch, p: PaymentRow): void => {
  batch.insert(
    'payments',
    COLS.split(',').map((c) => c.trim()),
    [paymentValues(p)],
  );
};

/**
 * Marks (or with null clears) the provider call a payment waits for. `onlyIf` applies it only while
 * the payment is in that status; returns whether a row changed.
 */
export const setProviderAction = async (
  q: Queryable,
  id: string,
  action: ProviderAction | null,
  at: Date,
  onlyIf?: PaymentStatus,
): Promise<boolean> =>
  (
    await q.query(
      `UPDATE payments SET provider_action = $2::text,
         provider_action_at = CASE WHEN $2::text IS NULL THEN NULL ELSE $3::timestamptz END
       WHERE id = $1 AND ($4::text IS NULL OR status = $4::text)`,
      [id, action, at, onlyIf ?? null],
    )
  ).rowCount > 0;

/** Payments whose provider call was marked before `before` and never recorded (oldest first). */
export const staleProviderActions = async (q: Queryable, before: Date, limit: number): Promise<string[]> =>
  (
    await q.query<{ id: string }>(
      `SELECT id FROM payments WHERE provider_action IS NOT NULL AND provider_action_at < $1
       ORDER BY provider_action_at LIMIT $2`,
      [before, limit],
    )
  ).rows.map((r) => r.id);
