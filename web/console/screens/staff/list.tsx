/**
 * Staff accounts: filter by role, status or part of the name or e-mail (in the URL), and invite a person.
 * E-mail does not exist yet, so the invitation's one-time link is shown here to be handed over.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { unwrap } from '../../../kit/api.ts';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { Dialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, Pager, useCursorPager } from '../../../kit/table.tsx';
import { Button, ProblemAlert } from '../../../kit/ui.tsx';
import { applyProblemDeep, OneTimeValue, Problem, RequireAdmin, SelectField } from '../customers/ui.tsx';
import {
  LocationChoice,
  ROLES,
  RoleBadge,
  STATUSES,
  type Staff,
  type StaffRole,
  StatusBadge,
  staffKeys,
  useAssignableRoles,
  useLocations,
} from './data.tsx';

const schema = z
  .object({
    email: z.email(),
    name: z.string().trim().min(1).max(100),
    role: z.enum(['owner', 'manager', 'staff']),
    location_ids: z.array(z.string()),
  })
  .refine((v) => v.role !== 'staff' || v.location_ids.length > 0, { path: ['location_ids'] });
type Values = z.infer<typeof schema>;

export const LinkResult = ({ url, expires, testId }: { url: string; expires: string; testId: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="pz-stack">
      <p>{t('staff.linkIntro', { date: f.date(expires) })}</p>
      <OneTimeValue value={url} testId={testId} />
    </div>
  );
};

const Invite = ({ open, onOpenChange }: { open: boolean; onOpenChange: (o: boolean) => void }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const roles = useAssignableRoles();
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { email: '', name: '', role: 'staff', location_ids: [] },
  });
  const invite = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        staffApi.POST('/admin/staff/invitations', {
          body: { ...v, location_ids: v.role === 'staff' ? v.location_ids : [] },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['staff'] }),
    onError: (e) => applyProblemDeep(e, form.setError, ['email', 'name', 'role', 'location_ids']),
  });
  const close = (o: boolean) => {
    if (!o) {
      invite.reset();
      form.reset();
    }
    onOpenChange(o);
  };
  const role = form.watch('role');
  const err = form.formState.errors;
  return (
    <Dialog open={open} onOpenChange={close} title={t('staff.invite.title')}>
      {invite.data ? (
        <div className="pz-stack">
          <p>
            <strong>{invite.data.user.name}</strong> · {invite.data.user.email}
          </p>
          <LinkResult url={invite.data.url} expires={invite.data.expires_at} testId="invite-link" />
        </div>
      ) : (
        <form onSubmit={form.handleSubmit((v) => invite.mutate(v))} noValidate>
          <Field
            label={t('staff.fields.email')}
            type="email"
            autoComplete="off"
            error={err.email && (err.email.type === 'server' ? err.email.message : t('staff.errors.email'))}
            {...form.register('email')}
          />
          <Field
            label={t('staff.fields.name')}
            autoComplete="off"
            error={err.name && t('staff.errors.name')}
            {...form.register('name')}
          />
          <SelectField
            label={t('staff.fields.role')}
            options={roles.map((r) => ({ value: r, label: t(`frame.roles.${r}`) }))}
            {...form.register('role')}
          />
          <p className="pz-hint">{t(`staff.roleHints.${role}`)}</p>
          {role === 'staff' && (
            <LocationChoice
              value={form.watch('location_ids')}
              onChange={(ids) =>
                form.setValue('location_ids', ids, { shouldValidate: form.formState.isSubmitted })
              }
              error={err.location_ids && t('staff.errors.locations')}
            />
          )}
          {invite.isError && <Problem error={invite.error} />}
          <Button type="submit" variant="primary" busy={invite.isPending} data-testid="invite-submit">
            {t('staff.invite.submit')}
          </Button>
        </form>
      )}
    </Dialog>
  );
};

const StaffList = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const locations = useLocations();
  const [params, setParams] = useSearchParams();
  const role = ROLES.find((r) => r === params.get('role'));
  const status = STATUSES.find((s) => s === params.get('status'));
  const q = params.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const [inviting, setInviting] = useState(false);
  const pager = useCursorPager();
  const { reset } = pager;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts at the first page
  useEffect(() => reset(), [role, status, q, reset]);
  const query = useQuery({
    queryKey: staffKeys.list({ role, status, q, cursor: pager.cursor }),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/staff', {
          params: {
            query: {
              limit: 25,
              ...(role ? { role } : {}),
              ...(status ? { status } : {}),
              ...(q ? { q } : {}),
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next);
  };
  const names = new Map((locations.data?.data ?? []).map((l) => [l.id, l.name]));
  const columns: ColumnDef<Staff, unknown>[] = [
    {
      id: 'name',
      header: t('staff.fields.name'),
      cell: ({ row }) => <Link to={`/staff/${row.original.id}`}>{row.original.name}</Link>,
    },
    { id: 'email', header: t('staff.fields.email'), cell: ({ row }) => row.original.email },
    { id: 'role', header: t('staff.fields.role'), cell: ({ row }) => <RoleBadge role={row.original.role} /> },
    {
      id: 'locations',
      header: t('staff.fields.locations'),
      cell: ({ row }) =>
        row.original.role === 'staff'
          ? row.original.location_ids.map((id) => names.get(id) ?? id).join(', ')
          : t('staff.allLocations'),
    },
    {
      id: 'status',
      header: t('staff.fields.status'),
      cell: ({ row }) => <StatusBadge status={row.original.status} />,
    },
    {
      id: 'login',
      header: t('staff.fields.lastLogin'),
      cell: ({ row }) => (row.original.last_login_at ? f.date(row.original.last_login_at) : '—'),
    },
  ];
  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    set('q', draft.trim());
  };
  return (
    <div className="pz-stack">
      <div className="pz-row">
        <h1>{t('staff.title')}</h1>
        <span className="pz-spacer" />
        <Button variant="primary" onClick={() => setInviting(true)} data-testid="staff-invite">
          {t('staff.invite.open')}
        </Button>
      </div>
      <form className="cx-filters" onSubmit={onSearch}>
        <div className="cx-grow">
          <Field
            label={t('staff.search')}
            type="search"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        </div>
        <SelectField
          label={t('staff.fields.role')}
          value={role ?? ''}
          onChange={(e) => set('role', e.target.value as StaffRole | '')}
          options={[
            { value: '', label: t('staff.anyRole') },
            ...ROLES.map((r) => ({ value: r, label: t(`frame.roles.${r}`) })),
          ]}
        />
        <SelectField
          label={t('staff.fields.status')}
          value={status ?? ''}
          onChange={(e) => set('status', e.target.value)}
          options={[
            { value: '', label: t('staff.anyStatus') },
            ...STATUSES.map((s) => ({ value: s, label: t(`staff.statuses.${s}`) })),
          ]}
        />
        <div className="pz-field">
          <Button type="submit">{t('staff.find')}</Button>
        </div>
      </form>
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <DataTable
            caption={t('staff.title')}
            columns={columns}
            data={query.data?.data}
            loading={query.isPending}
            rowId={(s) => s.id}
            empty={t('staff.empty')}
            onRowClick={(s) => navigate(`/staff/${s.id}`)}
          />
          <Pager pager={pager} nextCursor={query.data?.next_cursor} />
        </>
      )}
      <Invite open={inviting} onOpenChange={setInviting} />
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <StaffList />
  </RequireAdmin>
);

export default Guarded;
