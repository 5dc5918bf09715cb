/** A channel's publishable keys (`pk_…`, sent by shops and apps in x-plaza-channel-key): issue and revoke. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Badge, Button, Card } from '../../../kit/ui.tsx';
import { ConfirmAction, Problem } from '../customers/ui.tsx';
import { type ChannelKey, channelKeys } from './data.ts';

export const Keys = ({ channelId }: { channelId: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState('');
  const [revoking, setRevoking] = useState<ChannelKey | undefined>();
  const key = channelKeys.part(channelId, 'keys');
  const query = useQuery({
    queryKey: key,
    queryFn: () => unwrap(staffApi.GET('/admin/channels/{id}/keys', { params: { path: { id: channelId } } })),
  });
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.POST('/admin/channels/{id}/keys', {
          params: { path: { id: channelId } },
          body: name.trim() ? { name: name.trim() } : {},
        }),
      ),
    onSuccess: () => {
      setName('');
      toast(t('channels.keys.created'), 'success');
      return qc.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (k: ChannelKey) =>
      unwrap(
        staffApi.DELETE('/admin/channels/{id}/keys/{keyId}', {
          params: { path: { id: channelId, keyId: k.id } },
        }),
      ),
    onSuccess: () => {
      setRevoking(undefined);
      toast(t('channels.keys.revoked'), 'success');
      return qc.invalidateQueries({ queryKey: key });
    },
  });
  const columns: ColumnDef<ChannelKey, unknown>[] = [
    { id: 'name', header: t('channels.fields.name'), cell: ({ row }) => row.original.name },
    {
      id: 'key',
      header: t('channels.keys.key'),
      cell: ({ row }) => (
        <code dir="ltr" className="pz-mono">
          {row.original.key}
        </code>
      ),
    },
    {
      id: 'created',
      header: t('channels.fields.created'),
      cell: ({ row }) => f.date(row.original.created_at),
    },
    {
      id: 'state',
      header: t('channels.keys.state'),
      cell: ({ row }) =>
        row.original.revoked_at ? (
          <Badge tone="danger">
            {t('channels.keys.revokedAt', { date: f.date(row.original.revoked_at) })}
          </Badge>
        ) : (
          <Badge tone="success">{t('channels.keys.active')}</Badge>
        ),
    },
    {
      id: 'actions',
      header: t('customers.common.actions'),
      cell: ({ row }) =>
        row.original.revoked_at ? null : (
          <Button variant="ghost" onClick={() => setRevoking(row.original)}>
            {t('channels.keys.revoke')}
          </Button>
        ),
    },
  ];
  return (
    <Card title={t('channels.keys.title')}>
      <p className="pz-muted">{t('channels.keys.intro')}</p>
      <QueryState query={query}>
        {(k) => (
          <DataTable
            caption={t('channels.keys.title')}
            columns={columns}
            data={k.data}
            rowId={(r) => r.id}
            empty={t('channels.keys.empty')}
          />
        )}
      </QueryState>
      <form
        className="cx-filters"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <div className="cx-grow">
          <Field
            label={t('channels.keys.name')}
            hint={t('channels.keys.nameHint')}
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="pz-field">
          <Button type="submit" variant="primary" busy={create.isPending} data-testid="key-create">
            {t('channels.keys.create')}
          </Button>
        </div>
      </form>
      {create.isError && <Problem error={create.error} />}
      <ConfirmAction
        open={revoking !== undefined}
        onOpenChange={(o) => {
          if (!o) {
            setRevoking(undefined);
            revoke.reset();
          }
        }}
        title={t('channels.keys.revokeTitle')}
        description={t('channels.keys.revokeText', { name: revoking?.name ?? '' })}
        confirmLabel={t('channels.keys.revoke')}
        busy={revoke.isPending}
        error={revoke.error ?? undefined}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        testId="key-revoke-confirm"
      />
    </Card>
  );
};
