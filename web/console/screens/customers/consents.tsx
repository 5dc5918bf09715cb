/** Customer 360, consents: the current state per purpose and channel, the ledger with proofs, and recording a statement. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Alert, Badge, Button, Card } from '../../../kit/ui.tsx';
import { type ConsentBody, type Consents, keys } from './data.ts';
import { Problem, SelectField } from './ui.tsx';

type Current = Consents['current'][number];
type Entry = Consents['history'][number];
const PURPOSES: readonly ConsentBody['purpose'][] = [
  'marketing',
  'personalization',
  'analytics',
  'profiling',
];
const MEDIA: readonly ConsentBody['channel'][] = [
  'email',
  'sms',
  'push',
  'mail',
  'phone',
  'in_app',
  'ads',
  'in_store',
];
const STATUSES: readonly ConsentBody['status'][] = ['granted', 'denied', 'withdrawn'];

const tone = (s: string) =>
  s === 'granted' ? 'success' : s === 'pending' ? 'warning' : s === 'not_set' ? 'neutral' : 'danger';

const RecordConsent = ({ id }: { id: string }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const [body, setBody] = useState<Pick<ConsentBody, 'purpose' | 'channel' | 'status'>>({
    purpose: 'marketing',
    channel: 'email',
    status: 'granted',
  });
  const record = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.POST('/admin/customers/{id}/consents', {
          params: { path: { id } },
          body: { ...body, source: 'admin', legal_basis: 'consent' },
        }),
      ),
    onSuccess: (data) => {
      qc.setQueryData(keys.part(id, 'consents'), data);
      toast(t('customers.consents.recorded'), 'success');
      return qc.invalidateQueries({ queryKey: keys.one(id) });
    },
  });
  return (
    <Card title={t('customers.consents.record')}>
      <form
        className="cx-filters"
        onSubmit={(e) => {
          e.preventDefault();
          record.mutate();
        }}
      >
        <SelectField
          label={t('customers.consents.purpose')}
          value={body.purpose}
          onChange={(e) => setBody({ ...body, purpose: e.target.value as ConsentBody['purpose'] })}
          options={PURPOSES.map((p) => ({ value: p, label: t(`customers.consents.purposes.${p}`) }))}
        />
        <SelectField
          label={t('customers.consents.medium')}
          value={body.channel}
          onChange={(e) => setBody({ ...body, channel: e.target.value as ConsentBody['channel'] })}
          options={MEDIA.map((m) => ({ value: m, label: t(`customers.consents.media.${m}`) }))}
        />
        <SelectField
          label={t('customers.consents.status')}
          value={body.status}
          onChange={(e) => setBody({ ...body, status: e.target.value as ConsentBody['status'] })}
          options={STATUSES.map((s) => ({ value: s, label: t(`customers.consents.statuses.${s}`) }))}
        />
        <div className="pz-field">
          <Button type="submit" variant="primary" busy={record.isPending}>
            {t('customers.consents.save')}
          </Button>
        </div>
      </form>
      <p className="pz-muted">{t('customers.consents.recordHint')}</p>
      {record.isError && <Problem error={record.error} />}
    </Card>
  );
};

const ConsentsTab = ({ id }: { id: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const query = useQuery({
    queryKey: keys.part(id, 'consents'),
    queryFn: () => unwrap(staffApi.GET('/admin/customers/{id}/consents', { params: { path: { id } } })),
  });
  const label = (kind: 'purposes' | 'media' | 'statuses', v: string) =>
    t(`customers.consents.${kind}.${v}`, { defaultValue: v });
  const current: ColumnDef<Current, unknown>[] = [
    {
      id: 'purpose',
      header: t('customers.consents.purpose'),
      cell: ({ row }) => label('purposes', row.original.purpose),
    },
    {
      id: 'medium',
      header: t('customers.consents.medium'),
      cell: ({ row }) => label('media', row.original.channel),
    },
    {
      id: 'status',
      header: t('customers.consents.status'),
      cell: ({ row }) => (
        <Badge tone={tone(row.original.status)}>{label('statuses', row.original.status)}</Badge>
      ),
    },
    {
      id: 'basis',
      header: t('customers.consents.basis'),
      cell: ({ row }) => row.original.legal_basis ?? '—',
    },
    { id: 'source', header: t('customers.fields.source'), cell: ({ row }) => row.original.source ?? '—' },
    {
      id: 'at',
      header: t('customers.consents.recordedAt'),
      cell: ({ row }) => (row.original.recorded_at ? f.date(row.original.recorded_at) : '—'),
    },
  ];
  const history: ColumnDef<Entry, unknown>[] = [
    {
      id: 'at',
      header: t('customers.consents.recordedAt'),
      cell: ({ row }) => f.date(row.original.recorded_at),
    },
    {
      id: 'purpose',
      header: t('customers.consents.purpose'),
      cell: ({ row }) => label('purposes', row.original.purpose),
    },
    {
      id: 'medium',
      header: t('customers.consents.medium'),
      cell: ({ row }) => label('media', row.original.channel),
    },
    {
      id: 'status',
      header: t('customers.consents.status'),
      cell: ({ row }) => (
        <Badge tone={tone(row.original.status)}>{label('statuses', row.original.status)}</Badge>
      ),
    },
    { id: 'source', header: t('customers.fields.source'), cell: ({ row }) => row.original.source },
    {
      id: 'proof',
      header: t('customers.consents.proof'),
      cell: ({ row }) => (
        <span dir="ltr" className="pz-mono">
          {[row.original.ip, row.original.form_version, row.original.recorded_by].filter(Boolean).join(' · ')}
        </span>
      ),
    },
  ];
  return (
    <div className="pz-stack">
      <QueryState query={query} lines={5}>
        {(c) => (
          <div className="pz-stack">
            {c.processing_restricted && <Alert tone="warning">{t('customers.consents.restricted')}</Alert>}
            <Card title={t('customers.consents.current')}>
              <DataTable
                caption={t('customers.consents.current')}
                columns={current}
                data={c.current.filter((x) => x.status !== 'not_set')}
                rowId={(r) => `${r.purpose}:${r.channel}`}
                empty={t('customers.consents.none')}
              />
            </Card>
            <Card title={t('customers.consents.history')}>
              <DataTable
                caption={t('customers.consents.history')}
                columns={history}
                data={c.history}
                rowId={(r) => r.id}
                empty={t('customers.consents.none')}
              />
            </Card>
          </div>
        )}
      </QueryState>
      <RecordConsent id={id} />
    </div>
  );
};

export default ConsentsTab;
