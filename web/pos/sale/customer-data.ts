/** What the till shows about the sale's customer: loyalty points and store credit. */
import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../kit/api.ts';
import { api, keys } from '../api.ts';

export const useLoyalty = (customerId: string | undefined) =>
  useQuery({
    queryKey: keys.loyalty(customerId ?? ''),
    enabled: !!customerId,
    queryFn: () =>
      unwrap(
        api.GET('/admin/customers/{id}/loyalty', {
          params: { path: { id: customerId ?? '' }, query: { limit: 1 } },
        }),
      ),
  });

export const useStoreCredit = (customerId: string | undefined) =>
  useQuery({
    queryKey: keys.credit(customerId ?? ''),
    enabled: !!customerId,
    queryFn: () =>
      unwrap(
        api.GET('/admin/customers/{id}/store-credit', {
          params: { path: { id: customerId ?? '' }, query: { limit: 1 } },
        }),
      ),
  });

/** The store-credit balance in one currency (0 when there is none). */
export const creditIn = (
  credit: { balances: { currency: string; balance: number }[] } | undefined,
  currency: string,
): number => credit?.balances.find((b) => b.currency === currency)?.balance ?? 0;
