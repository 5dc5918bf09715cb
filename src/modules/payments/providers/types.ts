/** What a payment provider does. Calls happen outside database transactions (no lock is held). */
export interface AuthorizeInput {
  paymentId: string;
  amount: number;
  currency: string;
  /** Provider-specific details from the shopper (e.g. a sandbox card number). */
  details: Record<string, unknown>;
}

export type AuthorizeOutcome =
  | { status: 'authorized'; reference: string; display: string | null }
  | { status: 'declined'; reason: string };

export type ActionOutcome = { ok: true; reference: string } | { ok: false; reason: string };

export interface PaymentProvider {
  id: string;
  /** Human description for docs and receipts. */
  label: string;
  /** Only for pickup orders (pay at the store). */
  pickupOnly: boolean;
  authorize(input: AuthorizeInput): Promise<AuthorizeOutcome>;
  capture(input: { reference: string; amount: number; currency: string }): Promise<ActionOutcome>;
  void(input: { reference: string }): Promise<ActionOutcome>;
  refund(input: { reference: string; amount: number; currency: string }): Promise<ActionOutcome>;
}

export class ProviderTimeoutError extends Error {
  constructor(provider: string, ms: number) {
    super(`${provider} did not answer within ${ms} ms`);
  }
}
