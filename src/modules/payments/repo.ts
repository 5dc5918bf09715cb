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
  created_at: Date;
  updated_at: Date;
}

const COLS = `id, order_id, provider, status, amount, currency, captured_amount, refunded_amount, reference, display,
  failure_reason, created_at, updated_at`;

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
  p.created_at,
  p.updated_at,
];

export const insertPayment = async (q: Queryable, p: PaymentRow): Promise<PaymentRow> =>
  (
    await q.query<PaymentRow>(
      `INSERT INTO payments (${COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${COLS}`,
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
