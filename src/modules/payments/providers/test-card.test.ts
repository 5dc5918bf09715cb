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

    const capture = await p.capture({ reference: first.reference, amount: 1999, currency: 'USD' });
    const recapture = await p.capture({ reference: first.reference, amount: 1999, currency: 'USD' });
    expect(capture.ok).toBe(true);
    expect(recapture).toEqual(capture);
  });
});
