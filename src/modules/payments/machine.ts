import { stateMachine } from '../../platform/state-machine.ts';

export const PAYMENT_STATUSES = [
  'pending',
  'authorized',
  'declined',
  'failed',
  'captured',
  'voided',
  'partially_refunded',
  'refunded',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * The payment lifecycle. A declined or failed payment is final for the shopper, who pays again with a
 * new one. `failed → captured` and `voided → captured` exist only for the reconciler: it records a
 * capture the provider made while Plaza lost the answer (a killed process, a lost reply), and then
 * refunds it when its order is cancelled.
 */
export const paymentMachine = stateMachine<PaymentStatus>('payment', {
  pending: ['authorized', 'declined', 'failed', 'captured'],
  authorized: ['captured', 'voided'],
  declined: [],
  failed: ['captured'],
  captured: ['partially_refunded', 'refunded'],
  voided: ['captured'],
  partially_refunded: ['partially_refunded', 'refunded'],
  refunded: [],
});
