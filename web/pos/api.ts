/**
 * The POS's view of the Plaza API: the staff session's typed client, the shapes it uses (taken from the
 * generated client, never hand-typed), query keys, and a few helpers.
 */
import type { components, paths } from '@plaza/client';
import { queryOptions } from '@tanstack/react-query';
import { ApiError, unwrap } from '../kit/api.ts';
import { staffApi } from '../kit/session.tsx';

export const api = staffApi;

export type Sale = components['schemas']['PosSale'];
export type SaleLine = Sale['lines'][number];
export type Receipt = components['schemas']['Receipt'];
export type Location = components['schemas']['Location'];
export type Channel = components['schemas']['Channel'];
export type Pickup = components['schemas']['Pickup'];
export type Return = components['schemas']['Return'];
export type PosCustomer =
  paths['/admin/pos/customers']['get']['responses'][200]['content']['application/json']['data'][number];
export type CustomerQuery = NonNullable<paths['/admin/pos/customers']['get']['parameters']['query']>;
export type PayBody = NonNullable<
  paths['/admin/pos/sales/{id}/pay']['post']['requestBody']
>['content']['application/json'];
export type Loyalty =
  paths['/admin/customers/{id}/loyalty']['get']['responses'][200]['content']['application/json'];
export type StoreCredit = components['schemas']['StoreCredit'];
export type LookupBody = NonNullable<
  paths['/admin/returns/lookup']['post']['requestBody']
>['content']['application/json'];
export type ReturnableOrder =
  paths['/admin/returns/lookup']['post']['responses'][200]['content']['application/json']['data'][number];
export type CreateReturnBody = NonNullable<
  paths['/admin/returns']['post']['requestBody']
>['content']['application/json'];
export type AisleBody = NonNullable<
  paths['/admin/pos/endless-aisle']['post']['requestBody']
>['content']['application/json'];
export type AisleResult =
  paths['/admin/pos/endless-aisle']['post']['responses'][201]['content']['application/json'];

export const keys = {
  locations: ['pos', 'locations'] as const,
  counters: ['pos', 'counters'] as const,
  sale: (id: string) => ['pos', 'sale', id] as const,
  receipt: (id: string) => ['pos', 'receipt', id] as const,
  loyalty: (customerId: string) => ['pos', 'loyalty', customerId] as const,
  credit: (customerId: string) => ['pos', 'credit', customerId] as const,
  pickups: (locationId: string) => ['pos', 'pickups', locationId] as const,
};

/** The store's pickups ready to hand over (the pickups screen; the store gate starts it early). */
export const readyPickupsQuery = (locationId: string) =>
  queryOptions({
    queryKey: keys.pickups(locationId),
    queryFn: () =>
      unwrap(
        api.GET('/admin/locations/{id}/pickups', {
          params: { path: { id: locationId }, query: { status: 'ready', limit: 200 } },
        }),
      ),
  });

/** A fresh Idempotency-Key for one operation. */
export const newKey = (): string => crypto.randomUUID();

/** A number member of a problem document (`available`, `attempts_left` …), if present. */
export const problemNumber = (e: unknown, name: string): number | undefined => {
  if (!(e instanceof ApiError)) return undefined;
  const v = e.problem[name];
  return typeof v === 'number' ? v : undefined;
};

/** True when the error is a refusal with this code. */
export const isCode = (e: unknown, code: string): boolean => e instanceof ApiError && e.code === code;

/** Minor units of a currency (2 for USD, 0 for KRW …). */
export const minorDigits = (currency: string): number =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

/** "12.50" typed by a cashier → 1250 minor units; undefined when it is not an amount. */
export const parseAmount = (text: string, currency: string): number | undefined => {
  const clean = text.replace(/[\s,]/g, '').replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x660));
  if (!/^\d+(\.\d*)?$/.test(clean)) return undefined;
  return Math.round(Number(clean) * 10 ** minorDigits(currency));
};
