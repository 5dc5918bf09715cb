/** Forecasting area: answer types from the generated client, query keys and the shared queries. */
import type { paths } from '@plaza/client';
import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../../kit/api.ts';
import { staffApi } from '../../../kit/session.tsx';

type Json<Op> = Op extends { responses: { 200: { content: { 'application/json': infer T } } } } ? T : never;

export type ForecastPage = Json<paths['/admin/forecasts']['get']>;
export type ForecastRow = ForecastPage['data'][number];
export type ForecastQuery = NonNullable<paths['/admin/forecasts']['get']['parameters']['query']>;
export type Series = Json<paths['/admin/forecasts/series']['get']>;
export type Run = Json<paths['/admin/forecasts/runs']['get']>['data'][number];
export type ForecastSettings = Json<paths['/admin/forecasts/settings']['get']>;
export type SettingsBody = NonNullable<
  paths['/admin/forecasts/settings']['patch']['requestBody']
>['content']['application/json'];
export type Suggestion = Json<paths['/admin/replenishment/suggestions']['get']>['data'][number];
export type SuggestedOrder = Json<paths['/admin/replenishment/purchase-orders']['get']>['data'][number];
export type AtRisk = Json<paths['/admin/replenishment/at-risk']['get']>['data'][number];
export type Accepted =
  paths['/admin/replenishment/suggestions/accept']['post']['responses'][201]['content']['application/json'];
export type Supplier = Json<paths['/admin/suppliers']['get']>['data'][number];
export type PurchaseOrder = Json<paths['/admin/purchase-orders']['get']>['data'][number];
export type PurchaseOrderStatus = PurchaseOrder['status'];

export const PO_STATUSES: readonly PurchaseOrderStatus[] = [
  'draft',
  'ordered',
  'partially_received',
  'received',
  'cancelled',
];

export const forecastKeys = {
  all: ['forecasting'] as const,
  list: (q: ForecastQuery) => ['forecasting', 'list', q] as const,
  series: (sku: string, location: string) => ['forecasting', 'series', sku, location] as const,
  runs: ['forecasting', 'runs'] as const,
  settings: ['forecasting', 'settings'] as const,
  suggestions: (kind: 'transfer' | 'purchase') => ['forecasting', 'suggestions', kind] as const,
  orders: ['forecasting', 'suggested-orders'] as const,
  atRisk: (days: number | undefined) => ['forecasting', 'at-risk', days ?? null] as const,
  suppliers: ['forecasting', 'suppliers'] as const,
  purchaseOrders: (status: string) => ['forecasting', 'purchase-orders', status] as const,
  purchaseOrder: (id: string) => ['forecasting', 'purchase-order', id] as const,
};

/**
 * The latest runs, asked again every few seconds while one is running or `waiting` (a run was asked
 * for and has not started), so "Run now" shows the run's end.
 */
export const useRuns = (waiting = false) =>
  useQuery({
    queryKey: forecastKeys.runs,
    queryFn: () => unwrap(staffApi.GET('/admin/forecasts/runs', { params: { query: { limit: 10 } } })),
    refetchInterval: (q) =>
      waiting || q.state.data?.data.some((r) => r.status === 'running') ? 3000 : 30_000,
  });

export const useForecastSettings = () =>
  useQuery({
    queryKey: forecastKeys.settings,
    queryFn: () => unwrap(staffApi.GET('/admin/forecasts/settings')),
    staleTime: 60_000,
  });

/** Every supplier (for naming them in suggestions and purchase orders). */
export const useSuppliers = () =>
  useQuery({
    queryKey: forecastKeys.suppliers,
    queryFn: () => unwrap(staffApi.GET('/admin/suppliers', { params: { query: { limit: 200 } } })),
    staleTime: 30_000,
  });

/** The link of one series' detail screen (a SKU at a location, or the SKU over every location). */
export const seriesPath = (sku: string, location?: string | null): string => {
  const q = new URLSearchParams({ sku });
  if (location) q.set('location', location);
  return `/forecasting/series?${q.toString()}`;
};

/** Rounded to two decimals (errors, units per day), for the kit's number formatter. */
export const round2 = (n: number): number => Math.round(n * 100) / 100;

/** A local calendar day (YYYY-MM-DD) as a Date at its noon, so no time zone moves it to another day. */
export const atNoon = (day: string): Date => new Date(`${day}T12:00:00`);
