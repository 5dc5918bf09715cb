/**
 * Restriction of processing (GDPR article 18), enforced in one place. While a customer's processing
 * is restricted, their data is stored and used only for what the matrix allows: fulfilling orders
 * already placed, returns and refunds, transactional messages, accounting and legal obligations,
 * and their own data rights. Everything else is refused with PROCESSING_RESTRICTED. Every flow that
 * uses a customer's data for one of these purposes asks `checkProcessing` (or `assertProcessing`);
 * later capabilities (segments, campaigns) ask it too. docs/privacy.md shows the matrix.
 */
import type { Queryable } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import { survivorOf } from './lookup.ts';
import { getCustomer } from './repo.ts';

export const RESTRICTION_MATRIX = {
  /** Ship, hand over, capture or cancel orders placed before the restriction. */
  fulfil_orders: 'allowed',
  /** Returns, refunds and exchanges of those orders. */
  returns_and_refunds: 'allowed',
  /** Order confirmations, pickup ready, receipts. */
  transactional_messages: 'allowed',
  /** Bookkeeping and other legal obligations. */
  legal_obligations: 'allowed',
  /** Export, erasure, lifting the restriction. */
  data_rights: 'allowed',
  /** Granting consent for marketing, personalization, analytics or profiling (withdrawing always works). */
  consent_grant: 'refused',
  /** Marketing messages on any medium. */
  marketing_messages: 'refused',
  /** Lifetime value, preferred store, predictions and any other profiling. */
  profiling: 'refused',
  /** Membership of segments and audiences. */
  segments: 'refused',
  /** Earning, redeeming and enrolling in loyalty points and promotions. */
  loyalty: 'refused',
  /** Updating profile traits from tracked identify calls (the events themselves are still stored). */
  traits: 'refused',
  /** Using tracked events (web, app, POS) for computed traits, segments and messaging. */
  event_processing: 'refused',
} as const satisfies Record<string, 'allowed' | 'refused'>;

export type ProcessingUse = keyof typeof RESTRICTION_MATRIX;

export type ProcessingDecision =
  | { allowed: true }
  | { allowed: false; reason: 'processing_restricted' | 'erased' | 'unknown_customer' };

/** May this customer's data be used for `use`? A merged profile answers for its survivor. */
export const checkProcessing = async (
  q: Queryable,
  customerId: string,
  use: ProcessingUse,
): Promise<ProcessingDecision> => {
  const found = await getCustomer(q, customerId);
  if (!found) return { allowed: false, reason: 'unknown_customer' };
  const c = await survivorOf(q, found);
  if (c.status === 'erased') return { allowed: false, reason: 'erased' };
  if (c.processing_restricted_at && RESTRICTION_MATRIX[use] === 'refused') {
    return { allowed: false, reason: 'processing_restricted' };
  }
  return { allowed: true };
};

/** Throws PROCESSING_RESTRICTED (409) when the matrix refuses `use` for this customer. */
export const assertProcessing = async (
  q: Queryable,
  customerId: string,
  use: ProcessingUse,
): Promise<void> => {
  const d = await checkProcessing(q, customerId, use);
  if (!d.allowed && d.reason === 'processing_restricted') {
    throw new PlazaError(
      'PROCESSING_RESTRICTED',
      `The customer has restricted the processing of their data: ${use.replace(/_/g, ' ')} is not allowed`,
      { use },
    );
  }
};
