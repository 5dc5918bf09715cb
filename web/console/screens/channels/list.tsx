/** Channels: the list (type filter in the URL) and creating one. */
import { zodResolver } from '@hookform/resolvers/zod';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { applyProblemToForm, Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { Dialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, Pager, useCursorPager } from '../../../kit/table.tsx';
import { Badge, Button, ProblemAlert } from '../../../kit/ui.tsx';
import { Problem, RequireAdmin, SelectField } from '../customers/ui.tsx';
import { CHANNEL_TYPES, type Channel, type ChannelType, channelKeys } from './data.ts';

const CURRENCY_CODE = /^[A-Za-z]{3}$/;
const schema = z.object({
  type: z.enum(CHANNEL_TYPES as [ChannelType, ...ChannelType[]]),
  name: z.string().trim().min(1).max(200),
  currency: z.string().trim().regex(CURRENCY_CODE),
  locale: z.string().trim().min(2).max(35),
});
type Values = z.infer<typeof schema>;

const CreateChannel = ({ open, onOpenChange }: { open: boolean; onOpenChange: (o: boolean) => void }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { type: 'web', name: '', currency: 'USD', locale: 'en-US' },
  });
  const create = useMutation({
    mutationFn: (v: Values) =>
      unwrap(staffApi.POST('/admin/channels', { body: { ...v, currency: v.currency.toUpperCase() } })),
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: ['channels'] });
      onOpenChange(false);
      navigate(`/channels/${c.id}`);
    },
    onError: (e) => applyProblemToForm(e, form.setError, ['name', 'currency', 'locale', 'type']),
  });
  const err = form.formState.errors;
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={t('channels.create.title')}>
      <form onSubmit={form.handleSubmit((v) => create.mutate(v))} noValidate>
        <SelectField
          label={t('channels.fields.type')}
          options={CHANNEL_TYPES.map((x) => ({ value: x, label: t(`channels.types.${x}`) }))}
          {...form.register('type')}
        />
        <Field
          label={t('channels.fields.name')}
          error={err.name && t('channels.errors.name')}
          {...form.register('name')}
        />
        <Field
          label={t('channels.fields.currency')}
          maxLength={3}
          error={
            err.currency &&
            (err.currency.type === 'server' ? err.currency.message : t('channels.errors.currency'))
          }
          {...form.register('currency')}
        />
        <Field
          label={t('channels.fields.locale')}
          hint={t('channels.hints.locale')}
          error={
            err.locale && (err.locale.type === 'server' ? err.locale.message : t('channels.errors.locale'))
          }
          {...form.register('locale')}
        />
        {create.isError && <Problem error={create.error} />}
        <Button type="submit" variant="primary" busy={create.isPending}>
          {t('channels.create.submit')}
        </Button>
      </form>
    </Dialog>
  );
};

const ChannelsList = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const type = CHANNEL_TYPES.find((x) => x === params.get('type'));
  const [creating, setCreating] = useState(false);
  const pager = useCursorPager();
  const { reset } = pager;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts at the first page
  useEffect(() => reset(), [type, reset]);
  const query = useQuery({
    queryKey: channelKeys.list({ type, cursor: pager.cursor }),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/channels', {
          params: {
            query: {
              limit: 25,
              ...(type ? { type } : {}),
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const columns: ColumnDef<Channel, unknown>[] = [
    {
      id: 'name',
      header: t('channels.fields.name'),
      cell: ({ row }) => <Link to={`/channels/${row.original.id}`}>{row.original.name}</Link>,
    },
    {
      id: 'type',
      header: t('channels.fields.type'),
      cell: ({ row }) => <Badge tone="info">{t(`channels.types.${row.original.type}`)}</Badge>,
    },
    { id: 'currency', header: t('channels.fields.currency'), cell: ({ row }) => row.original.currency },
    { id: 'locale', header: t('channels.fields.locale'), cell: ({ row }) => row.original.locale },
    {
      id: 'created',
      header: t('channels.fields.created'),
      cell: ({ row }) => f.date(row.original.created_at),
    },
  ];
  return (
    <div className="pz-stack">
      <div className="pz-row">
        <h1>{t('channels.title')}</h1>
        <span className="pz-spacer" />
        <Button variant="primary" onClick={() => setCreating(true)} data-testid="channel-create">
          {t('channels.create.open')}
        </Button>
      </div>
      <div className="cx-filters">
        <SelectField
          label={t('channels.fields.type')}
          value={type ?? ''}
          onChange={(e) => {
            const next = new URLSearchParams(params);
            if (e.target.value) next.set('type', e.target.value);
            else next.delete('type');
            setParams(next);
          }}
          options={[
            { value: '', label: t('channels.anyType') },
            ...CHANNEL_TYPES.map((x) => ({ value: x, label: t(`channels.types.${x}`) })),
          ]}
        />
      </div>
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <DataTable
            caption={t('channels.title')}
            columns={columns}
            data={query.data?.data}
            loading={query.isPending}
            rowId={(c) => c.id}
            empty={t('channels.empty')}
            onRowClick={(c) => navigate(`/channels/${c.id}`)}
          />
          <Pager pager={pager} nextCursor={query.data?.next_cursor} />
        </>
      )}
      <CreateChannel open={creating} onOpenChange={setCreating} />
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <ChannelsList />
  </RequireAdmin>
);

export default Guarded;
