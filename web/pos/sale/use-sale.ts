/**
 * The sale on this till: its id is kept in localStorage per store (a reload or a crash does not lose
 * it), the sale itself comes from the API. Every change answers the whole sale, which replaces the
 * cached one. A sale is opened by the first scan (or by attaching a customer).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { ApiError, unwrap } from '../../kit/api.ts';
import { trackAtTill } from '../analytics.ts';
import { api, keys, type PayBody, type Receipt, type Sale } from '../api.ts';
import { usePosStore } from '../store.tsx';

const saleKey = (locationId: string) => `plaza.pos.sale.${locationId}`;

export const useSale = () => {
  const { location, channel } = usePosStore();
  const qc = useQueryClient();
  const [saleId, setSaleIdState] = useState<string | null>(() => localStorage.getItem(saleKey(location.id)));
  const setSaleId = useCallback(
    (id: string | null) => {
      if (id) localStorage.setItem(saleKey(location.id), id);
      else localStorage.removeItem(saleKey(location.id));
      setSaleIdState(id);
    },
    [location.id],
  );

  const query = useQuery({
    queryKey: keys.sale(saleId ?? ''),
    enabled: !!saleId,
    queryFn: async () => {
      try {
        const s = await unwrap(api.GET('/admin/pos/sales/{id}', { params: { path: { id: saleId ?? '' } } }));
        if (s.status === 'open' || s.status === 'paying') return s;
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
      setSaleId(null);
      return null;
    },
  });
  const sale: Sale | null = saleId ? (query.data ?? null) : null;

  const put = useCallback(
    (s: Sale) => {
      qc.setQueryData(keys.sale(s.id), s);
      if (s.id !== saleId) setSaleId(s.id);
      return s;
    },
    [qc, saleId, setSaleId],
  );

  const open = useCallback(
    async (body: { customer_id?: string; items?: { code: string; quantity?: number }[] }) =>
      put(await unwrap(api.POST('/admin/pos/sales', { body: { channel_id: channel.id, ...body } }))),
    [channel.id, put],
  );

  const addItem = useMutation({
    mutationFn: async ({ code, quantity = 1 }: { code: string; quantity?: number }) =>
      sale
        ? put(
            await unwrap(
              api.POST('/admin/pos/sales/{id}/items', {
                params: { path: { id: sale.id } },
                body: { code, quantity },
              }),
            ),
          )
        : open({ items: [{ code, quantity }] }),
  });

  const setQuantity = useMutation({
    mutationFn: async ({ lineId, quantity }: { lineId: string; quantity: number }) => {
      if (!sale) throw new Error('no sale');
      return put(
        await unwrap(
          api.PATCH('/admin/pos/sales/{id}/items/{lineId}', {
            params: { path: { id: sale.id, lineId } },
            body: { quantity },
          }),
        ),
      );
    },
  });

  const setCustomer = useMutation({
    mutationFn: async (customerId: string | null) => {
      if (!sale) return customerId ? open({ customer_id: customerId }) : null;
      return put(
        await unwrap(
          api.PUT('/admin/pos/sales/{id}/customer', {
            params: { path: { id: sale.id } },
            body: { customer_id: customerId },
          }),
        ),
      );
    },
    onSuccess: (s, customerId) => {
      if (s && customerId) trackAtTill('Customer Identified At Counter', { sale_id: s.id }, customerId);
    },
  });

  const pullOnlineCart = useMutation({
    mutationFn: async (customerId: string) => {
      const s = sale ?? (await open({ customer_id: customerId }));
      return put(
        await unwrap(api.POST('/admin/pos/sales/{id}/online-cart', { params: { path: { id: s.id } } })),
      );
    },
  });

  const voidSale = useMutation({
    mutationFn: async () => {
      if (!sale) return;
      await unwrap(api.POST('/admin/pos/sales/{id}/void', { params: { path: { id: sale.id } } }));
      qc.removeQueries({ queryKey: keys.sale(sale.id) });
      setSaleId(null);
    },
  });

  const pay = useMutation({
    mutationFn: async ({ body, key }: { body: PayBody; key: string }): Promise<Receipt> => {
      if (!sale) throw new Error('no sale');
      const receipt = await unwrap(
        api.POST('/admin/pos/sales/{id}/pay', {
          params: { path: { id: sale.id }, header: { 'Idempotency-Key': key } },
          body,
        }),
      );
      qc.setQueryData(keys.receipt(sale.id), receipt);
      if (sale.customer) {
        void qc.invalidateQueries({ queryKey: keys.loyalty(sale.customer.id) });
        void qc.invalidateQueries({ queryKey: keys.credit(sale.customer.id) });
      }
      qc.removeQueries({ queryKey: keys.sale(sale.id) });
      setSaleId(null);
      return receipt;
    },
    onError: () => void query.refetch(),
  });

  return { sale, query, saleId, addItem, setQuantity, setCustomer, pullOnlineCart, voidSale, pay };
};

export type SaleApi = ReturnType<typeof useSale>;
