/** Event sources: the list, and creating one (name, kind, channel, retention). */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { CheckField, SelectField } from '../../../kit/fields.tsx';
import { applyProblemToForm, Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { Dialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, useFlagParam } from '../../../kit/table.tsx';
import { Badge, Button, ProblemAlert } from '../../../kit/ui.tsx';
import { Problem, RequireAdmin } from '../customers/ui.tsx';
import { KINDS, RETENTIONS, type Source, sourceKeys } from './data.ts';
import './events.css';

const schema = z.object({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(KINDS),
  channel_id: z.string(),
  retention_months: z.string(),
});
type Values = z.infer<typeof schema>;

export const useChannels = () =>
  useQuery({
    queryKey: ['channels', 'names'],
    queryFn: () => unwrap(staffApi.GET('/admin/channels', { params: { query: { limit: 100 } } })),
    staleTime: 300_000,
  });

/** "Forever", "1 month", "6 months" (numbers in the page's digits). */
export const useRetentionLabel = () => {
  const { t } = useTranslation();
  const f = useFormat();
  return (months: number): string =>
    months === 0
      ? t('events.retention.forever')
      : t('events.retention.months', { count: months, n: f.number(months) });
};

export const RetentionLabel = ({ months }: { months: number }) => <>{useRetentionLabel()(months)}</>;

const CreateSource = ({ open, onOpenChange }: { open: boolean; onOpenChange: (o: boolean) => void }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const channels = useChannels();
  const retentionLabel = useRetentionLabel();
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { name: '', kind: 'web', channel_id: '', retention_months: '0' },
  });
  const create = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        staffApi.POST('/admin/event-sources', {
          body: {
            name: v.name,
            kind: v.kind,
            ...(v.channel_id ? { channel_id: v.channel_id } : {}),
            retention_months: Number(v.retention_months) as (typeof RETENTIONS)[number],
          },
        }),
      ),
    onSuccess: async (r) => {
      // A new source gets its first write key at once: the next screen shows it with the snippets.
      const firstKey = staffApi.POST('/admin/event-sources/{id}/write-keys', {
        params: { path: { id: r.id } },
      });
      await firstKey.catch(() => undefined);
      await qc.invalidateQueries({ queryKey: sourceKeys.all });
      navigate(`/sources/${r.id}`);
    },
    onError: (e) => applyProblemToForm(e, form.setError, ['name', 'kind', 'channel_id', 'retention_months']),
  });
  const err = form.formState.errors;
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={t('events.create.title')}>
      <form onSubmit={form.handleSubmit((v) => create.mutate(v))} noValidate>
        <Field
          label={t('events.fields.name')}
          error={err.name && (err.name.type === 'server' ? err.name.message : t('events.errors.name'))}
          {...form.register('name')}
        />
        <SelectField
          label={t('events.fields.kind')}
          hint={t('events.hints.kind')}
          options={KINDS.map((k) => ({ value: k, label: t(`events.kinds.${k}`) }))}
          {...form.register('kind')}
        />
        <SelectField
          label={t('events.fields.channel')}
          error={err.channel_id?.message}
          {...form.register('channel_id')}
        >
          <option value="">{t('events.noChannel')}</option>
          {(channels.data?.data ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('events.fields.retention')}
          hint={t('events.hints.retention')}
          error={err.retention_months?.message}
          {...form.register('retention_months')}
        >
          {RETENTIONS.map((m) => (
            <option key={m} value={String(m)}>
              {retentionLabel(m)}
            </option>
          ))}
        </SelectField>
        {create.isError && <Problem error={create.error} />}
        <Button type="submit" variant="primary" busy={create.isPending} data-testid="source-create-submit">
          {t('events.create.submit')}
        </Button>
      </form>
    </Dialog>
  );
};

const SourcesList = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const [archived, setArchived] = useFlagParam('archived');
  const [creating, setCreating] = useState(false);
  const channels = useChannels();
  const channelName = (id: string | null) =>
    id ? ((channels.data?.data ?? []).find((c) => c.id === id)?.name ?? id) : '';
  const query = useQuery({
    queryKey: sourceKeys.list(archived),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/event-sources', {
          params: { query: { limit: 100, include_archived: archived } },
        }),
      ),
  });
  const columns: ColumnDef<Source, unknown>[] = [
    {
      id: 'name',
      header: t('events.fields.name'),
      cell: ({ row }) => (
        <Link to={`/sources/${row.original.id}`} dir="auto">
          {row.original.name}
        </Link>
      ),
    },
    {
      id: 'kind',
      header: t('events.fields.kind'),
      cell: ({ row }) => t(`events.kinds.${row.original.kind}`),
    },
    {
      id: 'channel',
      header: t('events.fields.channel'),
      cell: ({ row }) => channelName(row.original.channel_id),
    },
    {
      id: 'retention',
      header: t('events.fields.retention'),
      cell: ({ row }) => <RetentionLabel months={row.original.retention_months} />,
    },
    { id: 'created', header: t('events.fields.created'), cell: ({ row }) => f.date(row.original.created_at) },
    {
      id: 'state',
      header: t('events.fields.state'),
      cell: ({ row }) =>
        row.original.archived_at ? (
          <Badge>{t('events.archived')}</Badge>
        ) : (
          <Badge tone="success">{t('events.active')}</Badge>
        ),
    },
  ];
  return (
    <div className="pz-stack">
      <div className="pz-row">
        <h1>{t('events.title')}</h1>
        <span className="pz-spacer" />
        <Button variant="primary" onClick={() => setCreating(true)} data-testid="source-create">
          {t('events.create.open')}
        </Button>
      </div>
      <p className="pz-muted">{t('events.intro')}</p>
      <CheckField
        label={t('events.showArchived')}
        checked={archived}
        onChange={(e) => setArchived(e.target.checked)}
      />
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <DataTable
          caption={t('events.title')}
          columns={columns}
          data={query.data?.data}
          loading={query.isPending}
          rowId={(s) => s.id}
          rowTestId="source-row"
          empty={t('events.empty')}
          onRowClick={(s) => navigate(`/sources/${s.id}`)}
        />
      )}
      <CreateSource open={creating} onOpenChange={setCreating} />
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <SourcesList />
  </RequireAdmin>
);

export default Guarded;
