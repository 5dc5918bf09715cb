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

/** The payment lifecycle. A declined or failed payment is final: the shopper pays again with a new one. */
export const paymentMachine = stateMachine<PaymentStatus>('payment', {
  pending: ['authorized', 'declined', 'failed', 'captured'],
  authorized: ['captured', 'voided'],
  declined: [],
  failed: [],
  captured: ['partially_refunded', 'refunded'],
  voided: [],
  partially_refunded: ['partially_refunded', 'refunded'],
  refunded: [],
});
