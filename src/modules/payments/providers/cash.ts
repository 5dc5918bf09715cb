import { randomBytes } from 'node:crypto';
import type { PaymentProvider } from './types.ts';

/** Cash at a store counter (POS): taken and captured at once by the staff member. */
export const cashProvider = (): PaymentProvider => ({
  id: 'cash',
  label: 'Cash at the counter',
  pickupOnly: true,
  async authorize() {
    return { status: 'authorized', reference: `cash_${randomBytes(8).toString('hex')}`, display: 'cash' };
  },
  async capture({ reference }) {
    return { ok: true, reference };
  },
  async void({ reference }) {
    return { ok: true, reference };
  },
  async refund() {
    return { ok: true, reference: `cash_refund_${randomBytes(6).toString('hex')}` };
  },
  // moves no money outside Plaza: cash in the drawer is counted by people, not looked up
  async lookup() {
    return { status: 'unknown' };
  },
});
