/** Customer 360, identities: every way the person is recognised; link, verify, make primary, unlink. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { applyProblemToForm, Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Badge, Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import { cardGroups, type Identity, keys, useCustomer, useNames } from './data.ts';
import { ConfirmAction, Problem, SelectField } from './ui.tsx';

const KINDS = ['email', 'phone', 'loyalty_card', 'external', 'anonymous'] as const;
const schema = z.object({ kind: z.enum(KINDS), value: z.string().trim().min(1).max(200) });
type Values = z.infer<typeof schema>;

const AddIdentity = ({ id }: { id: string }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { kind: 'email', value: '' },
  });
  const add = useMutation({
    mutationFn: (v: Values) =>
      unwrap(staffApi.POST('/admin/customers/{id}/identities', { params: { path: { id } }, body: v })),
    onSuccess: () => {
      form.reset({ kind: form.getValues('kind'), value: '' });
      toast(t('customers.identities.added'), 'success');
      return qc.invalidateQueries({ queryKey: keys.one(id) });
    },
    onError: (e) => applyProblemToForm(e, form.setError, ['value', 'kind']),
  });
  return (
    <Card title={t('customers.identities.add')}>
      <form className="cx-filters" onSubmit={form.handleSubmit((v) => add.mutate(v))} noValidate>
        <SelectField
          label={t('customers.identities.kind')}
          options={KINDS.map((k) => ({ value: k, label: t(`customers.identityKinds.${k}`) }))}
          {...form.register('kind')}
        />
        <div className="cx-grow">
          <Field
            label={t('customers.identities.value')}
            error={form.formState.errors.value?.message && t('customers.identities.valueRequired')}
            {...form.register('value')}
          />
        </div>
        <div className="pz-field">
          <Button type="submit" variant="primary" busy={add.isPending}>
            {t('customers.identities.link')}
          </Button>
        </div>
      </form>
      {add.isError && !form.formState.errors.value && <ProblemAlert error={add.error} />}
    </Card>
  );
};

const IdentitiesTab = ({ id }: { id: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const names = useNames();
  const qc = useQueryClient();
  const customer = useCustomer(id);
  const [unlinking, setUnlinking] = useState<Identity | undefined>();
  const update = useMutation({
    mutationFn: (v: { identityId: string; body: { verified?: boolean; primary?: boolean } }) =>
      unwrap(
        staffApi.PATCH('/admin/customers/{id}/identities/{identityId}', {
          params: { path: { id, identityId: v.identityId } },
          body: v.body,
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.one(id) }),
  });
  const unlink = useMutation({
    mutationFn: (identityId: string) =>
      unwrap(
        staffApi.DELETE('/admin/customers/{id}/identities/{identityId}', {
          params: { path: { id, identityId } },
        }),
      ),
    onSuccess: () => {
      setUnlinking(undefined);
      return qc.invalidateQueries({ queryKey: keys.one(id) });
    },
  });
  const columns: ColumnDef<Identity, unknown>[] = [
    {
      id: 'kind',
      header: t('customers.identities.kind'),
      cell: ({ row }) => t(`customers.identityKinds.${row.original.kind}`),
    },
    {
      id: 'value',
      header: t('customers.identities.value'),
      cell: ({ row }) => (
        <span dir="ltr" className="pz-mono">
          {row.original.kind === 'loyalty_card' ? cardGroups(row.original.value) : row.original.value}
        </span>
      ),
    },
    {
      id: 'flags',
      header: t('customers.identities.state'),
      cell: ({ row }) => (
        <span className="pz-row">
          {row.original.primary && <Badge tone="info">{t('customers.identities.primary')}</Badge>}
          {row.original.verified && <Badge tone="success">{t('customers.identities.verified')}</Badge>}
          {row.original.unlinked_at && <Badge tone="warning">{t('customers.identities.unlinked')}</Badge>}
        </span>
      ),
    },
    {
      id: 'source',
      header: t('customers.fields.source'),
      cell: ({ row }) =>
        [row.original.source, names.channel(row.original.source_channel_id)].filter(Boolean).join(' · '),
    },
    {
      id: 'seen',
      header: t('customers.fields.lastSeen'),
      cell: ({ row }) => f.date(row.original.last_seen_at),
    },
    {
      id: 'actions',
      header: t('customers.common.actions'),
      cell: ({ row }) => {
        const i = row.original;
        if (i.unlinked_at) return null;
        const canFlag = i.kind === 'email' || i.kind === 'phone';
        return (
          <span className="pz-row">
            {canFlag && !i.verified && (
              <Button onClick={() => update.mutate({ identityId: i.id, body: { verified: true } })}>
                {t('customers.identities.markVerified')}
              </Button>
            )}
            {canFlag && !i.primary && (
              <Button onClick={() => update.mutate({ identityId: i.id, body: { primary: true } })}>
                {t('customers.identities.makePrimary')}
              </Button>
            )}
            <Button variant="ghost" onClick={() => setUnlinking(i)}>
              {t('customers.identities.unlink')}
            </Button>
          </span>
        );
      },
    },
  ];
  return (
    <div className="pz-stack">
      {update.isError && <Problem error={update.error} />}
      <QueryState query={customer}>
        {(c) => (
          <DataTable
            caption={t('customers.tabs.identities')}
            columns={columns}
            data={c.identities}
            rowId={(i) => i.id}
            empty={t('customers.identities.empty')}
          />
        )}
      </QueryState>
      <p className="pz-muted">{t('customers.identities.verifiedHint')}</p>
      <AddIdentity id={id} />
      <ConfirmAction
        open={unlinking !== undefined}
        onOpenChange={(o) => {
          if (!o) {
            setUnlinking(undefined);
            unlink.reset();
          }
        }}
        title={t('customers.identities.unlinkTitle')}
        description={t('customers.identities.unlinkText', { value: unlinking?.value ?? '' })}
        error={unlink.error ?? undefined}
        confirmLabel={t('customers.identities.unlink')}
        busy={unlink.isPending}
        onConfirm={() => unlinking && unlink.mutate(unlinking.id)}
      />
    </div>
  );
};

export default IdentitiesTab;
