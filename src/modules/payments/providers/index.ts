import { PlazaError } from '../../../platform/errors.ts';
import { cashProvider } from './cash.ts';
import { exchangeProvider, storeCreditProvider } from './internal.ts';
import { payInStoreProvider } from './pay-in-store.ts';
import { testCardProvider } from './test-card.ts';
import { type PaymentProvider, ProviderTimeoutError } from './types.ts';

export { luhn, TEST_CARDS } from './test-card.ts';
export type { AuthorizeOutcome, PaymentProvider, ProviderState } from './types.ts';
export { ProviderTimeoutError } from './types.ts';

const PROVIDERS: Record<string, PaymentProvider> = {
  'test-card': testCardProvider(),
  'pay-in-store': payInStoreProvider(),
  cash: cashProvider(),
  'store-credit': storeCreditProvider(),
  exchange: exchangeProvider(),
};

export const PROVIDER_IDS = Object.keys(PROVIDERS);

/**
 * Tests only: puts `provider` in place of the registered provider with the same id (e.g. a sandbox
 * that fails after capturing). Returns a function that puts the original back.
 */
export const replaceProviderForTest = (provider: PaymentProvider): (() => void) => {
  const before = PROVIDERS[provider.id];
  if (!before) throw new Error(`no provider ${provider.id} to replace`);
  PROVIDERS[provider.id] = provider;
  return () => {
    PROVIDERS[provider.id] = before;
  };
};

export const getProvider = (id: string): PaymentProvider => {
  const p = PROVIDERS[id];
  if (!p) throw new PlazaError('VALIDATION_FAILED', `Unknown payment provider "${id}"`, { provider: id });
  return p;
};

/** Runs a provider call with a time limit; a provider that does not answer is a ProviderTimeoutError. */
export const withTimeout = <T>(call: Promise<T>, ms: number, provider: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ProviderTimeoutError(provider, ms)), ms);
    call.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
