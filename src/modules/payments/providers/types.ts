import type { Queryable } from '../../../platform/db.ts';

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

/** An action on an existing payment: Plaza's payment id (the idempotency key) and the authorization. */
export interface ActionInput {
  paymentId: string;
  reference: string;
}

/**
 * What the provider knows about a payment, asked by Plaza's payment id: `unknown` when it never saw
 * it (or does not remember), otherwise its state and the amounts it captured and refunded.
 */
export type ProviderState =
  | { status: 'unknown' }
  | {
      status: 'authorized' | 'captured' | 'voided' | 'refunded';
      reference: string;
      captured_amount: number;
      refunded_amount: number;
    };

/**
 * Where a provider may keep its own records: the root database, never a transaction. Only a sandbox
 * uses it (a real provider keeps its own database); optional, so that a call without it still works.
 */
export interface ProviderContext {
  db?: Queryable;
}

export interface PaymentProvider {
  id: string;
  /** Human description for docs and receipts. */
  label: string;
  /** Only for pickup orders (pay at the store). */
  pickupOnly: boolean;
  authorize(input: AuthorizeInput): Promise<AuthorizeOutcome>;
  /** Captures an authorization; capturing the same payment again must not charge again. */
  capture(
    input: ActionInput & { amount: number; currency: string },
    ctx?: ProviderContext,
  ): Promise<ActionOutcome>;
  /** Releases an authorization; refused (`ok: false`) once the payment is captured. */
  void(input: ActionInput, ctx?: ProviderContext): Promise<ActionOutcome>;
  refund(
    input: ActionInput & { amount: number; currency: string },
    ctx?: ProviderContext,
  ): Promise<ActionOutcome>;
  /** The payment's real state at the provider (for reconciliation after a crash or a lost answer). */
  lookup(input: ActionInput, ctx?: ProviderContext): Promise<ProviderState>;
}

export class ProviderTimeoutError extends Error {
  constructor(provider: string, ms: number) {
    super(`${provider} did not answer within ${ms} ms`);
  }
}
