/**
 * Pieces shared by the inventory, orders, pickups and returns screens: the locations the user may
 * see, labelled selects, filters kept in the page's query string, keyset paging that restarts when a
 * filter changes, a tab bar of sub-screens and status badges.
 */
import type { components } from '@plaza/client';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { useCursorPager } from '../../../kit/table.tsx';
import { Badge } from '../../../kit/ui.tsx';

export type Location = components['schemas']['Location'];

/** Every location the user may see (staff users: their own stores; the API decides). */
export const useLocations = () =>
  useQuery({
    queryKey: ['locations', 'all'],
    queryFn: () => unwrap(staffApi.GET('/admin/locations', { params: { query: { limit: 200 } } })),
    staleTime: 60_000,
  });

/** `loc_…` → its name, once the locations are loaded (the id meanwhile). */
export const useLocationName = (): ((id: string | null | undefined) => string) => {
  const q = useLocations();
  return (id) => (id ? (q.data?.data.find((l) => l.id === id)?.name ?? id) : '—');
};

export interface Option {
  value: string;
  label: string;
}

/** The kit's labelled select, controlled by a value (an optional empty first choice, "All …"). */
export const Select = ({
  label,
  value,
  onChange,
  options,
  allLabel,
  required,
  testId,
}: {
  label: ReactNode;
  value: string;
  onChange: (v: string) => void;
  options: Option[];
  /** An empty first choice ("All locations"); without it the user must pick one. */
  allLabel?: string;
  required?: boolean;
  testId?: string;
}) => (
  <SelectField
    label={label}
    value={value}
    required={required}
    data-testid={testId}
    onChange={(e) => onChange(e.target.value)}
    options={allLabel === undefined ? options : [{ value: '', label: allLabel }, ...options]}
  />
);

/** A select of the user's locations. */
export const LocationSelect = (props: {
  label: ReactNode;
  value: string;
  onChange: (v: string) => void;
  allLabel?: string;
  storesOnly?: boolean;
  testId?: string;
}) => {
  const q = useLocations();
  const options = (q.data?.data ?? [])
    .filter((l) => !props.storesOnly || l.type === 'store')
    .map((l) => ({ value: l.id, label: l.name }));
  return <Select {...props} options={options} />;
};

/** Filters kept in the URL's query string, so a reload or a shared link keeps them. */
export const useUrlFilters = <K extends string>(keys: readonly K[]) => {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>;
  const set = (patch: Partial<Record<K, string>>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch) as [K, string | undefined][]) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );
  return { values, set, key: keys.map((k) => values[k]).join('|') };
};

/** Keyset paging that goes back to the first page whenever `filterKey` changes. */
export const useFilteredPager = (filterKey: string) => {
  const pager = useCursorPager();
  const { reset } = pager;
  // biome-ignore lint/correctness/useExhaustiveDependencies: restart paging when the filters change
  useEffect(() => reset(), [filterKey, reset]);
  return pager;
};

/** Tabs that are links (each sub-screen has its own URL). */
export const SubNav = ({
  label,
  items,
  activeIndex,
}: {
  label: string;
  items: { to: string; label: string }[];
  /** Which tab is current, when the path alone cannot tell (tabs that differ by query string). */
  activeIndex?: number;
}) => {
  const here = useLocation().pathname;
  return (
    <nav className="pz-tabs-list" aria-label={label}>
      {items.map((i, n) => {
        const active =
          activeIndex !== undefined
            ? n === activeIndex
            : here === i.to || (i.to !== items[0]?.to && here.startsWith(`${i.to}/`));
        return (
          <Link
            key={i.to}
            to={i.to}
            className="pz-tab"
            data-state={active ? 'active' : 'inactive'}
            aria-current={active ? 'page' : undefined}
          >
            {i.label}
          </Link>
        );
      })}
    </nav>
  );
};

type Tone = 'neutral' | 'success' | 'danger' | 'warning' | 'info';
const TONES: Record<string, Tone> = {
  confirmed: 'info',
  ready_for_pickup: 'success',
  ready: 'success',
  shipped: 'info',
  in_transit: 'info',
  partially_received: 'warning',
  partially_fulfilled: 'warning',
  partially_collected: 'warning',
  delivered: 'success',
  picked_up: 'success',
  collected: 'success',
  completed: 'success',
  received: 'success',
  captured: 'success',
  authorized: 'info',
  cancelled: 'neutral',
  expired: 'danger',
  failed: 'danger',
  declined: 'danger',
  overdue: 'danger',
  pending_payment: 'warning',
  requested: 'warning',
  to_prepare: 'warning',
  refunded: 'neutral',
  partially_refunded: 'warning',
};

/** A status as a coloured badge with its translated name (`common.status.<s>`; the raw value if unknown). */
export const StatusBadge = ({ status }: { status: string }) => {
  const { t } = useTranslation();
  return (
    <Badge tone={TONES[status] ?? 'neutral'}>
      {t(`inventory.common.status.${status}`, { defaultValue: status })}
    </Badge>
  );
};

/** Local YYYY-MM-DD (a date input) → the ISO instant of the start (or the end) of that day. */
export const dayToIso = (day: string, end = false): string | undefined => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  if (end) d.setDate(d.getDate() + 1);
  return d.toISOString();
};
