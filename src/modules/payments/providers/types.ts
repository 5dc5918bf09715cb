/** What a payment provider does. Calls happen outside database transactions (no lock is held). */
export interface AuthorizeInput {
  /**
   * Plaza's payment id, the same on every retry of this payment (a replayed checkout or POS sale
   * after a crash between the provider's answer and Plaza's commit). A provider must use it as its
   * idempotency key, so that a retry returns the first authorization instead of charging twice.
   */
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
  /** Captures an authorization; capturing the same authorization again must not charge again. */
  capture(input: { reference: string; amount: number; currency: string }): Promise<ActionOutcome>;
  void(input: { reference: string }): Promise<ActionOutcome>;
  refund(input: { reference: string; amount: number; currency: string }): Promise<ActionOutcome>;
}

export class ProviderTimeoutError extends Error {
  constructor(provider: string, ms: number) {
    super(`${provider} did not answer within ${ms} ms`);
  }
}
