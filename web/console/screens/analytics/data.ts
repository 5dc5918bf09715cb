/** Analytics area: answer types from the generated client, query keys, the report's filters and names. */
import type { paths } from '@plaza/client';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { staffApi } from '../../../kit/session.tsx';

type ReportOp = paths['/admin/analytics/channels']['get'];
export type ReportQuery = NonNullable<ReportOp['parameters']['query']>;
export type ChannelReport = ReportOp['responses'][200]['content']['application/json'];
export type ReportRow = ChannelReport['rows'][number];
export type PickupRow = ChannelReport['pickups'][number];
export type ReturnRow = ChannelReport['returns'][number];
export type SeriesPoint = ChannelReport['series'][number];
export type Rate =
  paths['/admin/analytics/rates']['get']['responses'][200]['content']['application/json']['data'][number];
export type AnalyticsSettings =
  paths['/admin/analytics/settings']['get']['responses'][200]['content']['application/json'];
export type GroupBy = NonNullable<ReportQuery['group_by']>;

export const analyticsKeys = {
  all: ['analytics'] as const,
  report: (q: ReportQuery) => ['analytics', 'channels', q] as const,
  rates: ['analytics', 'rates'] as const,
  settings: ['analytics', 'settings'] as const,
  names: (what: 'channels' | 'locations') => ['analytics', 'names', what] as const,
};

export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const CURRENCY = /^[A-Z]{3}$/;
export const GROUPS: readonly GroupBy[] = ['channel', 'location'];

/** The report's filters, kept in the page's URL (`?from=…&to=…&channel=…&location=…&by=location&in=EUR`). */
export interface Filters {
  from: string;
  to: string;
  channel: string;
  location: string;
  by: GroupBy;
  in: string;
}

export const useFilters = (): [Filters, (patch: Partial<Filters>) => void] => {
  const [params, setParams] = useSearchParams();
  const get = (name: string, valid: RegExp) => {
    const v = params.get(name) ?? '';
    return valid.test(v) ? v : '';
  };
  const filters: Filters = {
    from: get('from', DATE),
    to: get('to', DATE),
    channel: get('channel', /^chn_\w+$/),
    location: get('location', /^loc_\w+$/),
    by: params.get('by') === 'location' ? 'location' : 'channel',
    in: get('in', CURRENCY),
  };
  const set = useCallback(
    (patch: Partial<Filters>) =>
      setParams(
        (p) => {
          const n = new URLSearchParams(p);
          for (const [k, v] of Object.entries(patch)) {
            if (v && !(k === 'by' && v === 'channel')) n.set(k, v);
            else n.delete(k);
          }
          return n;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [filters, set];
};

/** The API query of the filters (the API's defaults when a filter is empty: the last 30 days, by channel). */
export const reportQuery = (f: Filters): ReportQuery => ({
  ...(f.from ? { from: f.from } : {}),
  ...(f.to ? { to: f.to } : {}),
  ...(f.channel ? { channel_id: f.channel } : {}),
  ...(f.location ? { location_id: f.location } : {}),
  ...(f.by === 'location' ? { group_by: 'location' as const } : {}),
  ...(f.in ? { report_currency: f.in } : {}),
});

/** The CSV export of the same report (the session cookie authenticates the download). */
export const csvUrl = (q: ReportQuery): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
  params.set('format', 'csv');
  return `/admin/analytics/channels?${params.toString()}`;
};

/** Today's date (YYYY-MM-DD) in a time zone; `daysBack` days earlier. */
export const localDate = (timeZone: string, daysBack = 0): string => {
  const at = new Date(Date.now() - daysBack * 86_400_000);
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
};

/** Every day from `from` to `to` (YYYY-MM-DD, both included; at most ten years). */
export const daysBetween = (from: string, to: string): string[] => {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && out.length < 3660; t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};

/** The analytics settings (the time zone of the days), shared by the screens of the area. */
export const useAnalyticsSettings = () =>
  useQuery({
    queryKey: analyticsKeys.settings,
    queryFn: () => unwrap(staffApi.GET('/admin/analytics/settings')),
    staleTime: 60_000,
  });

/** Channels and locations by id, for filters and for naming the report's rows. */
export const useNames = () => {
  const channels = useQuery({
    queryKey: analyticsKeys.names('channels'),
    queryFn: async () =>
      (await unwrap(staffApi.GET('/admin/channels', { params: { query: { limit: 200 } } }))).data,
    staleTime: 5 * 60_000,
  });
  const locations = useQuery({
    queryKey: analyticsKeys.names('locations'),
    queryFn: async () =>
      (await unwrap(staffApi.GET('/admin/locations', { params: { query: { limit: 200 } } }))).data,
    staleTime: 5 * 60_000,
  });
  const channelNames = useMemo(
    () => new Map((channels.data ?? []).map((c) => [c.id, c.name])),
    [channels.data],
  );
  const locationNames = useMemo(
    () => new Map((locations.data ?? []).map((l) => [l.id, l.name])),
    [locations.data],
  );
  const channel = useCallback((id: string) => channelNames.get(id) ?? id, [channelNames]);
  const location = useCallback((id: string) => locationNames.get(id) ?? id, [locationNames]);
  return {
    channels: channels.data ?? [],
    locations: locations.data ?? [],
    channel,
    location,
  };
};
export type Names = ReturnType<typeof useNames>;

/** The currencies offered as report currencies: those with rates, the channels', the one chosen. */
export const reportCurrencies = (
  rates: readonly Rate[],
  channelCurrencies: readonly string[],
  chosen: string,
) =>
  [
    ...new Set([...rates.map((r) => r.report_currency), ...channelCurrencies, ...(chosen ? [chosen] : [])]),
  ].sort();
