import { randomBytes } from 'node:crypto';
import type { PaymentProvider } from './types.ts';

/**
 * `pay-in-store`: for pickup orders. Authorizing is a promise to pay at the store; the payment is
 * captured at handover (cash or card at the counter). Voiding it costs nothing.
 */
export const payInStoreProvider = (): PaymentProvider => ({
  id: 'pay-in-store',
  label: 'Pay at the store when collecting',
  pickupOnly: true,
  async authorize() {
    return {
      status: 'authorized',
      reference: `pis_${randomBytes(8).toString('hex')}`,
      display: 'pay in store',
    };
  },
  async capture({ reference }) {
    return { ok: true, reference };
  },
  async void({ reference }) {
    return { ok: true, reference };
  },
  async refund() {
    return { ok: true, reference: `pis_refund_${randomBytes(6).toString('hex')}` };
  },
  // moves no money outside Plaza: nothing is held before the counter
  async lookup() {
    return { status: 'unknown' };
  },
});
