/** API tokens for automation (/admin/tokens): the list, creating one (shown once) and revoking. */
import type { paths } from '@plaza/client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { Dialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Badge, Button, ProblemAlert } from '../../../kit/ui.tsx';
import { useNames } from '../customers/data.ts';
import { CheckField, ConfirmAction, OneTimeValue, Problem, SelectField } from '../customers/ui.tsx';
import { LocationChoice } from '../staff/data.tsx';

type Token = paths['/admin/tokens']['get']['responses'][200]['content']['application/json']['data'][number];
type Scope = Token['scope'];
const KEY = ['admin-tokens'] as const;

const CreateToken = ({ open, onOpenChange }: { open: boolean; onOpenChange: (o: boolean) => void }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('admin');
  const [locations, setLocations] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.POST('/admin/tokens', {
          body: { name: name.trim(), scope, ...(scope === 'staff' ? { location_ids: locations } : {}) },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
  const close = (o: boolean) => {
    if (!o) {
      create.reset();
      setName('');
      setScope('admin');
      setLocations([]);
    }
    onOpenChange(o);
  };
  const invalid = name.trim() === '' || (scope === 'staff' && locations.length === 0);
  return (
    <Dialog open={open} onOpenChange={close} title={t('settings.tokens.create')}>
      {create.data ? (
        <div className="pz-stack">
          <p>{t('settings.tokens.createdIntro')}</p>
          <OneTimeValue value={create.data.token} testId="token-secret" />
        </div>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!invalid) create.mutate();
          }}
          noValidate
        >
          <Field
            label={t('settings.tokens.name')}
            hint={t('settings.tokens.nameHint')}
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
          />
          <SelectField
            label={t('settings.tokens.scope')}
            value={scope}
            onChange={(e) => setScope(e.target.value === 'staff' ? 'staff' : 'admin')}
            options={[
              { value: 'admin', label: t('settings.tokens.scopes.admin') },
              { value: 'staff', label: t('settings.tokens.scopes.staff') },
            ]}
          />
          {scope === 'staff' && <LocationChoice value={locations} onChange={setLocations} />}
          {create.isError && <Problem error={create.error} />}
          <Button type="submit" variant="primary" disabled={invalid} busy={create.isPending}>
            {t('settings.tokens.submit')}
          </Button>
        </form>
      )}
    </Dialog>
  );
};

const TokensTab = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const names = useNames();
  const qc = useQueryClient();
  const toast = useToast();
  const [withRevoked, setWithRevoked] = useState(false);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Token | undefined>();
  const query = useQuery({
    queryKey: [...KEY, withRevoked],
    queryFn: () =>
      unwrap(staffApi.GET('/admin/tokens', { params: { query: { include_revoked: withRevoked } } })),
    placeholderData: keepPreviousData,
  });
  const revoke = useMutation({
    mutationFn: (tok: Token) =>
      unwrap(staffApi.DELETE('/admin/tokens/{id}', { params: { path: { id: tok.id } } })),
    onSuccess: () => {
      setRevoking(undefined);
      toast(t('settings.tokens.revoked'), 'success');
      return qc.invalidateQueries({ queryKey: KEY });
    },
  });
  const columns: ColumnDef<Token, unknown>[] = [
    { id: 'name', header: t('settings.tokens.name'), cell: ({ row }) => row.original.name },
    {
      id: 'scope',
      header: t('settings.tokens.scope'),
      cell: ({ row }) => (
        <span className="pz-row">
          <Badge tone={row.original.scope === 'admin' ? 'info' : 'neutral'}>
            {t(`settings.tokens.scopes.${row.original.scope}`)}
          </Badge>
          {row.original.location_ids.map((l) => names.location(l)).join(', ')}
        </span>
      ),
    },
    {
      id: 'hint',
      header: t('settings.tokens.hint'),
      cell: ({ row }) => (
        <span dir="ltr" className="pz-mono">
          …{row.original.token_hint}
        </span>
      ),
    },
    {
      id: 'created',
      header: t('settings.tokens.createdAt'),
      cell: ({ row }) => f.date(row.original.created_at),
    },
    {
      id: 'used',
      header: t('settings.tokens.lastUsed'),
      cell: ({ row }) => (row.original.last_used_at ? f.date(row.original.last_used_at) : '—'),
    },
    {
      id: 'actions',
      header: t('customers.common.actions'),
      cell: ({ row }) =>
        row.original.revoked_at ? (
          <Badge tone="danger">
            {t('settings.tokens.revokedAt', { date: f.date(row.original.revoked_at) })}
          </Badge>
        ) : (
          <Button variant="ghost" onClick={() => setRevoking(row.original)}>
            {t('settings.tokens.revoke')}
          </Button>
        ),
    },
  ];
  return (
    <div className="pz-stack">
      <p className="pz-muted">{t('settings.tokens.intro')}</p>
      <div className="pz-row">
        <CheckField
          label={t('settings.tokens.withRevoked')}
          checked={withRevoked}
          onChange={(e) => setWithRevoked(e.target.checked)}
        />
        <span className="pz-spacer" />
        <Button variant="primary" onClick={() => setCreating(true)} data-testid="token-create">
          {t('settings.tokens.create')}
        </Button>
      </div>
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <DataTable
          caption={t('settings.tabs.tokens')}
          columns={columns}
          data={query.data?.data}
          loading={query.isPending}
          rowId={(x) => x.id}
          empty={t('settings.tokens.empty')}
        />
      )}
      <CreateToken open={creating} onOpenChange={setCreating} />
      <ConfirmAction
        open={revoking !== undefined}
        onOpenChange={(o) => {
          if (!o) {
            setRevoking(undefined);
            revoke.reset();
          }
        }}
        title={t('settings.tokens.revokeTitle')}
        description={t('settings.tokens.revokeText', { name: revoking?.name ?? '' })}
        confirmLabel={t('settings.tokens.revoke')}
        busy={revoke.isPending}
        error={revoke.error ?? undefined}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      />
    </div>
  );
};

export default TokensTab;
