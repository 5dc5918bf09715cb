import { describe, expect, it } from 'vitest';
import { luhn, TEST_CARDS, testCardProvider } from './test-card.ts';

const input = (paymentId: string, card_number: string) => ({
  paymentId,
  amount: 1999,
  currency: 'USD',
  details: { card_number },
});

describe('test-card sandbox', () => {
  it('approves, declines and refuses bad numbers by card number', async () => {
    const p = testCardProvider();
    expect(await p.authorize(input('pay_1', TEST_CARDS.approve))).toMatchObject({
      status: 'authorized',
      display: 'card •••• 4242',
    });
    expect(await p.authorize(input('pay_2', TEST_CARDS.decline))).toEqual({
      status: 'declined',
      reason: 'card_declined',
    });
    expect(await p.authorize(input('pay_3', TEST_CARDS.insufficientFunds))).toEqual({
      status: 'declined',
      reason: 'insufficient_funds',
    });
    expect(await p.authorize(input('pay_4', '4242424242424241'))).toEqual({
      status: 'declined',
      reason: 'invalid_card_number',
    });
    expect(luhn('4242424242424242')).toBe(true);
  });

  it('is idempotent on the payment id and the authorization, like a real provider', async () => {
    const p = testCardProvider();
    const first = await p.authorize(input('pay_retry', TEST_CARDS.approve));
    const again = await p.authorize(input('pay_retry', TEST_CARDS.approve));
    const other = await p.authorize(input('pay_other', TEST_CARDS.approve));
    if (first.status !== 'authorized' || other.status !== 'authorized') throw new Error('not authorized');
    expect(again).toEqual(first);
    expect(other.reference).not.toBe(first.reference);

    const action = { paymentId: 'pay_retry', reference: first.reference, amount: 1999, currency: 'USD' };
    const capture = await p.capture(action);
    const recapture = await p.capture(action);
    expect(capture.ok).toBe(true);
    expect(recapture).toEqual(capture);
  });

  it('refuses to void a capture, answers lookups by payment id, and loses the first answer of 0341', async () => {
    const p = testCardProvider();
    const auth = await p.authorize(input('pay_lost', TEST_CARDS.captureLost));
    if (auth.status !== 'authorized') throw new Error('not authorized');
    const ids = { paymentId: 'pay_lost', reference: auth.reference };
    expect(await p.lookup(ids)).toMatchObject({ status: 'authorized', captured_amount: 0 });
    await expect(p.capture({ ...ids, amount: 1999, currency: 'USD' })).rejects.toThrow(/after the capture/);
    expect(await p.lookup(ids)).toMatchObject({ status: 'captured', captured_amount: 1999 });
    expect(await p.void(ids)).toEqual({ ok: false, reason: 'already_captured' });
    expect((await p.capture({ ...ids, amount: 1999, currency: 'USD' })).ok).toBe(true);
    expect((await p.refund({ ...ids, amount: 1999, currency: 'USD' })).ok).toBe(true);
    expect(await p.refund({ ...ids, amount: 1, currency: 'USD' })).toEqual({
      ok: false,
      reason: 'amount_exceeds_captured',
    });
    expect(await p.lookup(ids)).toMatchObject({ status: 'refunded', refunded_amount: 1999 });
    expect(await p.capture({ ...ids, amount: 1999, currency: 'USD' })).toEqual({
      ok: false,
      reason: 'payment_refunded',
    });
    expect(await p.lookup({ paymentId: 'pay_never', reference: '' })).toEqual({ status: 'unknown' });
  });
});
