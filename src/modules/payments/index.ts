/** Payments: provider interface (test-card sandbox, pay-in-store, cash) and the payment lifecycle. */

export { type FaultPoint, faultPoint } from './fault.ts';
export { type PaymentStatus, paymentMachine } from './machine.ts';
export { personalData } from './personal-data.ts';
export type { PaymentProvider, ProviderState } from './providers/index.ts';
export {
  getProvider,
  luhn,
  PROVIDER_IDS,
  ProviderTimeoutError,
  replaceProviderForTest,
  TEST_CARDS,
  withTimeout,
} from './providers/index.ts';
export { compensateWithProvider, lookupWithProvider, recordProviderState } from './reconcile.ts';
export {
  getRefund,
  insertRefund,
  planProviderRefunds,
  type RefundMethod,
  type RefundRow,
  type RefundStatus,
  refundableByPayment,
  refundsOf,
  refundToApi,
  refundWithProvider,
  retryRefund,
  settleRefund,
  writeRefundEvent,
} from './refunds.ts';
export {
  getPayment,
  type PaymentRow,
  type ProviderAction,
  paymentsOfOrders,
  paymentToApi,
  setProviderAction,
  staleProviderActions,
} from './repo.ts';
export {
  type AuthorizeResult,
  authorizeWithProvider,
  capturePayment,
  changePayment,
  createPayment,
  stagePayment,
  stagePaymentChange,
  voidWithProvider,
} from './service.ts';
