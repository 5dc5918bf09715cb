/**
 * Customers: find one by e-mail, phone, loyalty card, external or customer id (the API's identity
 * lookup), or browse all of them newest first (owners and managers; staff users may only look up).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, Pager, useCursorPager } from '../../../kit/table.tsx';
import { Badge, Button, EmptyState, ProblemAlert } from '../../../kit/ui.tsx';
import { type Customer, customerName, keys, useIsAdmin } from './data.ts';
import { SelectField, StatusBadge } from './ui.tsx';

const STATUSES = ['active', 'merged', 'erased'] as const;
type Status = (typeof STATUSES)[number];
const isStatus = (v: string | null): v is Status => !!v && (STATUSES as readonly string[]).includes(v);

const CustomersList = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const admin = useIsAdmin();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const statusParam = params.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const [draft, setDraft] = useState(q);
  const pager = useCursorPager();
  const { reset } = pager;
  // A new search or filter starts at the first page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the filters change
  useEffect(() => reset(), [q, status, reset]);

  const enabled = admin || q !== '';
  const query = useQuery({
    queryKey: keys.list({ q, status, cursor: pager.cursor }),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/customers', {
          params: {
            query: {
              limit: 25,
              ...(q ? { identity: q } : {}),
              ...(status && !q ? { status } : {}),
              ...(pager.cursor && !q ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
    enabled,
    placeholderData: keepPreviousData,
  });

  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams(params);
    if (draft.trim()) next.set('q', draft.trim());
    else next.delete('q');
    setParams(next);
  };

  const columns: ColumnDef<Customer, unknown>[] = [
    {
      id: 'name',
      header: t('customers.fields.name'),
      cell: ({ row }) => (
        <Link to={`/customers/${row.original.id}`} dir="auto">
          {customerName(row.original)}
        </Link>
      ),
    },
    { id: 'email', header: t('customers.fields.email'), cell: ({ row }) => row.original.email ?? '' },
    {
      id: 'phone',
      header: t('customers.fields.phone'),
      cell: ({ row }) => (
        <span dir="ltr" className="pz-mono">
          {row.original.phone ?? ''}
        </span>
      ),
    },
    {
      id: 'status',
      header: t('customers.fields.status'),
      cell: ({ row }) => (
        <span className="pz-row">
          <StatusBadge status={row.original.status} />
          {!row.original.has_account && <Badge>{t('customers.guest')}</Badge>}
          {row.original.processing_restricted && <Badge tone="warning">{t('customers.restricted')}</Badge>}
        </span>
      ),
    },
    {
      id: 'matched',
      header: t('customers.fields.matched'),
      cell: ({ row }) =>
        row.original.matched ? t(`customers.identityKinds.${row.original.matched.kind}`) : '',
    },
    {
      id: 'created',
      header: t('customers.fields.created'),
      cell: ({ row }) => f.date(row.original.created_at),
    },
  ];

  return (
    <div className="pz-stack">
      <div className="pz-row">
        <h1>{t('customers.title')}</h1>
        <span className="pz-spacer" />
        {admin && (
          <>
            <Link className="pz-btn" to="/customers/merge">
              {t('customers.merge.open')}
            </Link>
            <Link className="pz-btn" to="/privacy-requests">
              {t('customers.nav.requests')}
            </Link>
          </>
        )}
      </div>
      <form className="cx-filters" onSubmit={onSearch}>
        <div className="cx-grow">
          <Field
            label={t('customers.search.label')}
            type="search"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder={t('customers.search.placeholder')}
            data-testid="customer-search"
          />
        </div>
        {admin && (
          <SelectField
            label={t('customers.fields.status')}
            value={status ?? ''}
            disabled={q !== ''}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value) next.set('status', e.target.value);
              else next.delete('status');
              setParams(next);
            }}
            options={[
              { value: '', label: t('customers.search.anyStatus') },
              ...STATUSES.map((s) => ({ value: s, label: t(`customers.status.${s}`) })),
            ]}
          />
        )}
        <div className="pz-field">
          <Button type="submit" variant="primary">
            {t('customers.search.submit')}
          </Button>
        </div>
        {q && (
          <div className="pz-field">
            <Button
              onClick={() => {
                setDraft('');
                const next = new URLSearchParams(params);
                next.delete('q');
                setParams(next);
              }}
            >
              {t('customers.search.clear')}
            </Button>
          </div>
        )}
      </form>
      <p className="pz-muted">{t('customers.search.hint')}</p>
      {!enabled ? (
        <EmptyState title={t('customers.search.staffOnlyLookup')} />
      ) : query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <DataTable
            caption={t('customers.title')}
            columns={columns}
            data={query.data?.data}
            loading={query.isPending}
            empty={q ? t('customers.search.noMatch', { q }) : t('customers.empty')}
            rowId={(c) => c.id}
            onRowClick={(c) => navigate(`/customers/${c.id}`)}
          />
          {!q && <Pager pager={pager} nextCursor={query.data?.next_cursor} />}
        </>
      )}
    </div>
  );
};

export default CustomersList;
