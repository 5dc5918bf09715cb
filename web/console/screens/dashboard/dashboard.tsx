/**
 * The dashboard (GET /admin/reports/dashboard): today's and the period's sales, orders and customers
 * per channel as numbers and charts, pickups due and low stock. Staff see their own locations only:
 * the API decides; the location picker offers only theirs. Period and location live in the URL.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi, useStaffSession } from '../../../kit/session.tsx';
import { ProblemAlert, Skeleton } from '../../../kit/ui.tsx';
import { Charts } from './charts.tsx';
import { ChannelTable, Totals } from './figures.tsx';
import { LowStock, Pickups } from './stock.tsx';
import './dashboard.css';

const PERIODS = [7, 30, 90] as const;
const DEFAULT_DAYS = 30;
const browserTimeZone = (): string | undefined => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
};

const Dashboard = () => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { user } = useStaffSession();
  const [params, setParams] = useSearchParams();
  const periodId = useId();
  const locationId = useId();
  const asked = Number(params.get('days'));
  const days = (PERIODS as readonly number[]).includes(asked) ? asked : DEFAULT_DAYS;
  const location = params.get('location') ?? '';
  const isStaff = user?.role === 'staff';

  const locations = useQuery({
    queryKey: ['dashboard', 'locations'],
    queryFn: async () =>
      (await unwrap(staffApi.GET('/admin/locations', { params: { query: { limit: 200 } } }))).data,
    staleTime: 5 * 60_000,
  });
  // Staff cannot read channels (owner/manager data): their charts name channels by id.
  const channels = useQuery({
    queryKey: ['dashboard', 'channels'],
    queryFn: async () =>
      (await unwrap(staffApi.GET('/admin/channels', { params: { query: { limit: 200 } } }))).data,
    enabled: !isStaff,
    staleTime: 5 * 60_000,
  });
  const timeZone = location ? undefined : browserTimeZone();
  const report = useQuery({
    queryKey: ['dashboard', 'report', days, location, timeZone],
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/reports/dashboard', {
          params: {
            query: {
              days,
              low_stock_limit: 10,
              ...(location ? { location_id: location } : {}),
              ...(timeZone ? { time_zone: timeZone } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });

  const channelNames = useMemo(
    () => new Map((channels.data ?? []).map((c) => [c.id, c.name])),
    [channels.data],
  );
  const locationNames = useMemo(
    () => new Map((locations.data ?? []).map((l) => [l.id, l.name])),
    [locations.data],
  );
  const channelName = useCallback((id: string) => channelNames.get(id) ?? id, [channelNames]);
  const locationName = useCallback((id: string) => locationNames.get(id) ?? id, [locationNames]);
  const choices = (locations.data ?? []).filter((l) => !isStaff || user?.location_ids.includes(l.id));

  const set = (name: string, value: string) =>
    setParams(
      (p) => {
        const n = new URLSearchParams(p);
        if (value) n.set(name, value);
        else n.delete(name);
        return n;
      },
      { replace: true },
    );

  const data = report.data;
  return (
    <div className="pz-stack">
      <div className="pz-row pz-dash-head">
        <h1>{t('dashboard.title')}</h1>
        <span className="pz-spacer" />
        <div className="pz-field">
          <label htmlFor={periodId}>{t('dashboard.period')}</label>
          <select
            id={periodId}
            className="pz-select"
            value={days}
            onChange={(e) => set('days', e.target.value)}
          >
            {PERIODS.map((d) => (
              <option key={d} value={d}>
                {t('dashboard.lastDays', { days: fmt.number(d) })}
              </option>
            ))}
          </select>
        </div>
        <div className="pz-field">
          <label htmlFor={locationId}>{t('dashboard.location')}</label>
          <select
            id={locationId}
            className="pz-select"
            value={location}
            onChange={(e) => set('location', e.target.value)}
          >
            <option value="">{isStaff ? t('dashboard.myLocations') : t('dashboard.allLocations')}</option>
            {choices.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {report.isError ? (
        <ProblemAlert error={report.error} onRetry={() => void report.refetch()} />
      ) : !data ? (
        <Skeleton lines={10} />
      ) : (
        <div className="pz-stack" aria-busy={report.isFetching || undefined}>
          <p className="pz-muted">
            {t('dashboard.scope', {
              from: fmt.day(`${data.from}T12:00:00Z`),
              to: fmt.day(`${data.to}T12:00:00Z`),
              zone: data.time_zone,
              where:
                data.location_ids === null
                  ? t('dashboard.allLocations')
                  : data.location_ids.map(locationName).join(', ') || t('dashboard.noLocations'),
              at: fmt.date(data.generated_at),
            })}
          </p>
          <Totals data={data} />
          <div className="pz-grid pz-dash-ops">
            <Pickups pickups={data.pickups} />
            <LowStock lowStock={data.low_stock} locationName={locationName} />
          </div>
          <ChannelTable data={data} channelName={channelName} />
          <Charts data={data} channelName={channelName} />
        </div>
      )}
    </div>
  );
};

export default Dashboard;
