/** The register of data requests: every request, filtered by status, kind or overdue; carried out from here. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { staffApi } from '../../../kit/session.tsx';
import { Pager, useCursorPager } from '../../../kit/table.tsx';
import { ProblemAlert } from '../../../kit/ui.tsx';
import { keys, REQUEST_KINDS, type RequestKind } from './data.ts';
import { RequestsTable } from './requests.tsx';
import { CheckField, RequireAdmin, SelectField } from './ui.tsx';

const STATUSES = ['received', 'completed', 'rejected'] as const;
type Status = (typeof STATUSES)[number];

const RequestsPage = () => {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = STATUSES.find((s) => s === params.get('status'));
  const kind = REQUEST_KINDS.find((k) => k === params.get('kind'));
  const overdue = params.get('overdue') === 'true';
  const pager = useCursorPager();
  const { reset } = pager;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts at the first page
  useEffect(() => reset(), [status, kind, overdue, reset]);
  const query = useQuery({
    queryKey: keys.requests({ status, kind, overdue: String(overdue), cursor: pager.cursor }),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/privacy/requests', {
          params: {
            query: {
              limit: 25,
              ...(status ? { status } : {}),
              ...(kind ? { kind } : {}),
              ...(overdue ? { overdue: true } : {}),
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const setParam = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next);
  };
  return (
    <div className="pz-stack">
      <h1>{t('customers.requests.title')}</h1>
      <p className="pz-muted">{t('customers.requests.intro')}</p>
      <div className="cx-filters">
        <SelectField
          label={t('customers.fields.status')}
          value={status ?? ''}
          onChange={(e) => setParam('status', e.target.value as Status | '')}
          options={[
            { value: '', label: t('customers.requests.anyStatus') },
            ...STATUSES.map((s) => ({ value: s, label: t(`customers.requests.statuses.${s}`) })),
          ]}
        />
        <SelectField
          label={t('customers.requests.kind')}
          value={kind ?? ''}
          onChange={(e) => setParam('kind', e.target.value as RequestKind | '')}
          options={[
            { value: '', label: t('customers.requests.anyKind') },
            ...REQUEST_KINDS.map((k) => ({ value: k, label: t(`customers.requests.kinds.${k}`) })),
          ]}
        />
        <div className="pz-field">
          <CheckField
            label={t('customers.requests.onlyOverdue')}
            checked={overdue}
            onChange={(e) => setParam('overdue', e.target.checked ? 'true' : '')}
          />
        </div>
      </div>
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <RequestsTable data={query.data?.data} loading={query.isPending} showCustomer />
          <Pager pager={pager} nextCursor={query.data?.next_cursor} />
        </>
      )}
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <RequestsPage />
  </RequireAdmin>
);

export default Guarded;
