/** Customers area: types from the generated client, query keys, and small shared helpers. */
import type { components, paths } from '@plaza/client';
import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../../kit/api.ts';
import { staffApi, useStaffSession } from '../../../kit/session.tsx';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;

export type Customer = components['schemas']['AdminCustomer'];
export type Identity = components['schemas']['CustomerIdentity'];
export type PrivacyRequest = components['schemas']['PrivacyRequest'];
export type Summary = Json<paths['/admin/customers/{id}/summary']['get']['responses'][200]>;
export type Timeline = Json<paths['/admin/customers/{id}/timeline']['get']['responses'][200]>;
export type MergePreview = Json<paths['/admin/customers/merge/preview']['post']['responses'][200]>;
export type Merge = Json<paths['/admin/customers/merges/{id}']['get']['responses'][200]>;
export type Consents = Json<paths['/admin/customers/{id}/consents']['get']['responses'][200]>;
export type ConsentBody = NonNullable<
  paths['/admin/customers/{id}/consents']['post']['requestBody']
>['content']['application/json'];
export type Loyalty = Json<paths['/admin/customers/{id}/loyalty']['get']['responses'][200]>;
export type StoreCredit = components['schemas']['StoreCredit'];
export type RequestKind = NonNullable<
  paths['/admin/privacy/requests']['post']['requestBody']
>['content']['application/json']['kind'];
export type BalanceDecision = NonNullable<
  NonNullable<
    paths['/admin/privacy/requests/{id}/process']['post']['requestBody']
  >['content']['application/json']['balances']
>;

export const REQUEST_KINDS: readonly RequestKind[] = ['export', 'restrict', 'lift_restriction', 'erase'];

/** Query keys: everything about one customer starts with ['customers', id] (one invalidation refreshes the 360). */
export const keys = {
  all: ['customers'] as const,
  list: (p: Record<string, string | undefined>) => ['customers', 'list', p] as const,
  one: (id: string) => ['customers', id] as const,
  part: (id: string, part: string, extra?: unknown) => ['customers', id, part, extra] as const,
  merge: (id: string) => ['customer-merges', id] as const,
  requests: (p: Record<string, string | undefined>) => ['privacy-requests', p] as const,
};

/** The name a person is shown by: their names, else an e-mail, a phone or the id. */
export const customerName = (
  c: Pick<Customer, 'id' | 'first_name' | 'last_name' | 'email' | 'phone'>,
): string => {
  const name = [c.first_name, c.last_name].filter(Boolean).join(' ').trim();
  return name || c.email || c.phone || c.id;
};

/** A loyalty card as printed: groups of four (`K7QM 4XRT 9CHD`). */
export const cardGroups = (card: string): string => card.replace(/(.{4})(?=.)/g, '$1 ');

export const useCustomer = (id: string) =>
  useQuery({
    queryKey: keys.one(id),
    queryFn: () => unwrap(staffApi.GET('/admin/customers/{id}', { params: { path: { id } } })),
    enabled: id !== '',
  });

/** Owners and managers act as admins; staff users only look customers up in their stores. */
export const useIsAdmin = (): boolean => {
  const { user } = useStaffSession();
  return user?.role === 'owner' || user?.role === 'manager';
};

/**
 * Names of channels and locations for labels (ids otherwise). Staff users may not list channels; then
 * ids are shown as they are.
 */
export const useNames = () => {
  const admin = useIsAdmin();
  const channels = useQuery({
    queryKey: ['channels', 'names'],
    queryFn: () => unwrap(staffApi.GET('/admin/channels', { params: { query: { limit: 100 } } })),
    enabled: admin,
    staleTime: 300_000,
  });
  const locations = useQuery({
    queryKey: ['locations', 'names'],
    queryFn: () => unwrap(staffApi.GET('/admin/locations', { params: { query: { limit: 100 } } })),
    staleTime: 300_000,
  });
  const channel = new Map((channels.data?.data ?? []).map((c) => [c.id, c.name]));
  const location = new Map((locations.data?.data ?? []).map((l) => [l.id, l.name]));
  return {
    channel: (id: string | null | undefined) => (id ? (channel.get(id) ?? id) : ''),
    location: (id: string | null | undefined) => (id ? (location.get(id) ?? id) : ''),
  };
};

/** Digits of a currency's minor unit (2 for USD, 0 for JPY), from Intl. */
export const minorDigits = (currency: string): number => {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
};

/** Minor units from what a person types in major units (`12.50` → 1250 in USD). */
export const toMinor = (typed: string, currency: string): number =>
  Math.round(Number(typed.replace(',', '.')) * 10 ** minorDigits(currency));

/** Major units as a person types them (1250 USD → `12.5`). */
export const toMajor = (minor: number, currency: string): string =>
  String(minor / 10 ** minorDigits(currency));
