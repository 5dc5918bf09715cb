/**
 * The product list: searched, filtered and paged by the server (`GET /admin/products`); the filters
 * live in the page's query string so a reload or a shared link keeps them.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ChangeEvent, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, Pager, useCursorPager } from '../../../kit/table.tsx';
import { Badge, ProblemAlert } from '../../../kit/ui.tsx';
import { CreateProductButton } from './create.tsx';
import './catalog.css';
import {
  ownersAndManagers,
  type Product,
  type ProductStatus,
  STATUSES,
  statusTone,
  useCategories,
  useChannels,
  useCollections,
} from './queries.tsx';

type Row = Omit<Product, 'variants'> & { variant_count: number };
const FILTERS = ['q', 'status', 'channel_id', 'category_id', 'collection_id'] as const;
type FilterName = (typeof FILTERS)[number];
const PAGE_SIZE = 50;

const isStatus = (v: string | null): v is ProductStatus =>
  v !== null && (STATUSES as readonly string[]).includes(v);

/** A labelled select of the list's filters ("all" is the empty value). */
const FilterSelect = ({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; label: string }[];
}) => {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="pz-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        className="pz-select"
        value={value}
        onChange={(e: ChangeEvent<HTMLSelectElement>) => onChange(e.target.value)}
      >
        <option value="">{t('catalog.list.all')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
};

const ProductList = () => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [params, setParams] = useSearchParams();
  const pager = useCursorPager();
  const searchId = useId();
  const channels = useChannels();
  const categories = useCategories();
  const collections = useCollections();
  const [text, setText] = useState(params.get('q') ?? '');

  const filters = useMemo(() => {
    const f: Partial<Record<FilterName, string>> = {};
    for (const k of FILTERS) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [params]);

  const setFilter = (name: FilterName, value: string) => {
    setParams(
      (p) => {
        const n = new URLSearchParams(p);
        if (value) n.set(name, value);
        else n.delete(name);
        return n;
      },
      { replace: true },
    );
    pager.reset();
  };

  // The search box asks the server once typing pauses (300 ms), not on every key.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the typed text triggers it
  useEffect(() => {
    if (text.trim() === (params.get('q') ?? '')) return;
    const timer = setTimeout(() => setFilter('q', text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text]);

  // The address changed by other means (back, a link): the box shows its search, paging starts over.
  const urlQ = params.get('q') ?? '';
  const filtersKey = JSON.stringify(filters);
  useEffect(() => {
    setText((t) => (t.trim() === urlQ ? t : urlQ));
  }, [urlQ]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filters' value, not their object, counts
  useEffect(() => pager.reset(), [filtersKey]);

  const status = params.get('status');
  const query = useQuery({
    queryKey: ['catalog', 'products', filters, pager.cursor],
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/products', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
              ...(filters.q ? { q: filters.q } : {}),
              ...(isStatus(status) ? { status } : {}),
              ...(filters.channel_id ? { channel_id: filters.channel_id } : {}),
              ...(filters.category_id ? { category_id: filters.category_id } : {}),
              ...(filters.collection_id ? { collection_id: filters.collection_id } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  const channelName = useMemo(
    () => new Map((channels.data ?? []).map((c) => [c.id, c.name])),
    [channels.data],
  );
  const columns = useMemo<ColumnDef<Row, unknown>[]>(
    () => [
      {
        id: 'title',
        header: t('catalog.fields.title'),
        cell: ({ row }) => (
          <span className="pz-catalog-cell">
            <Link to={`/catalog/products/${row.original.id}`}>{row.original.title}</Link>
            <span className="pz-muted pz-mono">{row.original.handle}</span>
          </span>
        ),
      },
      {
        id: 'status',
        header: t('catalog.fields.status'),
        cell: ({ row }) => (
          <Badge tone={statusTone(row.original.status)}>{t(`catalog.status.${row.original.status}`)}</Badge>
        ),
      },
      {
        id: 'variants',
        header: t('catalog.list.variants'),
        cell: ({ row }) => <span className="pz-num">{fmt.number(row.original.variant_count)}</span>,
      },
      {
        id: 'channels',
        header: t('catalog.list.channels'),
        cell: ({ row }) =>
          row.original.channels.length === 0 ? (
            <span className="pz-muted">{t('catalog.list.nowhere')}</span>
          ) : (
            row.original.channels.map((c) => channelName.get(c.channel_id) ?? c.channel_id).join(' · ')
          ),
      },
      {
        id: 'updated',
        header: t('catalog.list.updated'),
        cell: ({ row }) => fmt.date(row.original.updated_at),
      },
    ],
    [t, fmt, channelName],
  );

  return (
    <div className="pz-stack">
      <div className="pz-row">
        <h1>{t('catalog.title')}</h1>
        <span className="pz-spacer" />
        <Link className="pz-btn" to="/catalog/import">
          {t('catalog.import.open')}
        </Link>
        <CreateProductButton />
      </div>
      <search className="pz-row pz-catalog-filters" aria-label={t('catalog.list.filters')}>
        <div className="pz-field pz-catalog-search">
          <label htmlFor={searchId}>{t('catalog.list.search')}</label>
          <input
            id={searchId}
            className="pz-input"
            type="search"
            value={text}
            placeholder={t('catalog.list.searchHint')}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <FilterSelect
          label={t('catalog.fields.status')}
          value={status ?? ''}
          onChange={(v) => setFilter('status', v)}
          options={STATUSES.map((s) => ({ value: s, label: t(`catalog.status.${s}`) }))}
        />
        <FilterSelect
          label={t('catalog.list.channel')}
          value={filters.channel_id ?? ''}
          onChange={(v) => setFilter('channel_id', v)}
          options={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        />
        <FilterSelect
          label={t('catalog.fields.category')}
          value={filters.category_id ?? ''}
          onChange={(v) => setFilter('category_id', v)}
          options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        />
        <FilterSelect
          label={t('catalog.fields.collection')}
          value={filters.collection_id ?? ''}
          onChange={(v) => setFilter('collection_id', v)}
          options={(collections.data ?? []).map((c) => ({ value: c.id, label: c.title }))}
        />
      </search>
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <div aria-busy={query.isFetching || undefined}>
          <DataTable
            columns={columns}
            data={query.data?.data}
            loading={query.isPending}
            caption={t('catalog.list.caption')}
            empty={Object.keys(filters).length ? t('catalog.list.noMatch') : t('catalog.list.empty')}
            rowId={(r) => r.id}
            rowTestId="product-row"
          />
        </div>
      )}
      <Pager pager={pager} nextCursor={query.data?.next_cursor} />
    </div>
  );
};

export default ownersAndManagers(ProductList);
