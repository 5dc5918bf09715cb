/** Payments: provider interface (test-card sandbox, pay-in-store, cash) and the payment lifecycle. */
export { type PaymentStatus, paymentMachine } from './machine.ts';
export type { PaymentProvider } from './providers/index.ts';
export {
  getProvider,
  luhn,
  PROVIDER_IDS,
  ProviderTimeoutError,
  TEST_CARDS,
  withTimeout,
} from './providers/index.ts';
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
export { getPayment, type PaymentRow, paymentsOfOrders, paymentToApi } from './repo.ts';
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
export { personalData } from './personal-data.ts';
