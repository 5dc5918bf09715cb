import { randomBytes } from 'node:crypto';
import type { PaymentProvider } from './types.ts';

/**
 * Tenders that move no money outside Plaza: the flow that uses them changes Plaza's own records in
 * the same transaction (the store-credit ledger, or the value of items returned in an exchange).
 * Their provider calls only acknowledge. Not offered at web checkout.
 */
const internal = (id: string, label: string, prefix: string): PaymentProvider => ({
  id,
  label,
  pickupOnly: false,
  async authorize() {
    return { status: 'authorized', reference: `${prefix}_${randomBytes(8).toString('hex')}`, display: label };
  },
  async capture({ reference }) {
    return { ok: true, reference };
  },
  async void({ reference }) {
    return { ok: true, reference };
  },
  async refund() {
    return { ok: true, reference: `${prefix}_refund_${randomBytes(6).toString('hex')}` };
  },
  // moves no money outside Plaza: the flow changed Plaza's own records in its transaction
  async lookup() {
    return { status: 'unknown' };
  },
});

/** Paid from the customer's store-credit balance (debited by the flow, never below zero). */
export const storeCreditProvider = (): PaymentProvider => internal('store-credit', 'store credit', 'sc');

/** Paid with the value of items returned in the same exchange. */
export const exchangeProvider = (): PaymentProvider => internal('exchange', 'exchange', 'exc');
