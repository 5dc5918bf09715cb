/**
 * One staff account: name, role and store locations; disable or enable it; a new one-time link (a
 * password reset, or a new invitation while invited). The API ends the person's sessions when the
 * role, the locations or the status change, and refuses what the signed-in person may not do.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi, useStaffSession } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Alert, Button, Card } from '../../../kit/ui.tsx';
import { ConfirmAction, DefList, Problem, RequireAdmin, SelectField } from '../customers/ui.tsx';
import {
  LocationChoice,
  RoleBadge,
  type Staff,
  type StaffRole,
  StatusBadge,
  staffKeys,
  useAssignableRoles,
} from './data.tsx';
import { LinkResult } from './list.tsx';

const EditStaff = ({ s }: { s: Staff }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const roles = useAssignableRoles();
  const [name, setName] = useState(s.name);
  const [role, setRole] = useState<StaffRole>(s.role);
  const [locations, setLocations] = useState<string[]>(s.location_ids);
  useEffect(() => {
    setName(s.name);
    setRole(s.role);
    setLocations(s.location_ids);
  }, [s]);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.PATCH('/admin/staff/{id}', {
          params: { path: { id: s.id } },
          body: { name: name.trim(), role, ...(role === 'staff' ? { location_ids: locations } : {}) },
        }),
      ),
    onSuccess: (u) => {
      qc.setQueryData(staffKeys.one(s.id), u);
      void qc.invalidateQueries({ queryKey: ['staff', 'list'] });
      toast(t('staff.saved'), 'success');
    },
  });
  const roleOptions = roles.includes(s.role) ? roles : [s.role, ...roles];
  const noLocations = role === 'staff' && locations.length === 0;
  return (
    <Card title={t('staff.edit')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!noLocations && name.trim()) save.mutate();
        }}
        noValidate
      >
        <Field
          label={t('staff.fields.name')}
          value={name}
          maxLength={100}
          onChange={(e) => setName(e.target.value)}
          error={name.trim() ? undefined : t('staff.errors.name')}
        />
        <SelectField
          label={t('staff.fields.role')}
          value={role}
          onChange={(e) => setRole(roleOptions.find((r) => r === e.target.value) ?? s.role)}
          options={roleOptions.map((r) => ({ value: r, label: t(`frame.roles.${r}`) }))}
        />
        <p className="pz-hint">{t(`staff.roleHints.${role}`)}</p>
        {role === 'staff' && (
          <LocationChoice
            value={locations}
            onChange={setLocations}
            error={noLocations ? t('staff.errors.locations') : undefined}
          />
        )}
        <p className="pz-muted">{t('staff.sessionsEnd')}</p>
        {save.isError && <Problem error={save.error} />}
        <Button type="submit" variant="primary" busy={save.isPending} data-testid="staff-save">
          {t('staff.save')}
        </Button>
      </form>
    </Card>
  );
};

const Access = ({ s }: { s: Staff }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const disabling = s.status !== 'disabled';
  const status = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.PATCH('/admin/staff/{id}', {
          params: { path: { id: s.id } },
          body: { status: disabling ? 'disabled' : 'active' },
        }),
      ),
    onSuccess: (u) => {
      qc.setQueryData(staffKeys.one(s.id), u);
      void qc.invalidateQueries({ queryKey: ['staff', 'list'] });
      setConfirming(false);
      toast(disabling ? t('staff.disabled') : t('staff.enabled'), 'success');
    },
  });
  const link = useMutation({
    mutationFn: () =>
      unwrap(staffApi.POST('/admin/staff/{id}/reset-link', { params: { path: { id: s.id } } })),
  });
  return (
    <Card title={t('staff.access')}>
      <div className="pz-stack">
        <p className="pz-muted">
          {s.status === 'invited' ? t('staff.newInvitationHint') : t('staff.resetHint')}
        </p>
        <div className="pz-row">
          <Button onClick={() => link.mutate()} busy={link.isPending} data-testid="staff-reset-link">
            {s.status === 'invited' ? t('staff.newInvitation') : t('staff.resetLink')}
          </Button>
          <Button
            variant={disabling ? 'danger' : 'primary'}
            onClick={() => setConfirming(true)}
            data-testid="staff-status"
          >
            {disabling ? t('staff.disable') : t('staff.enable')}
          </Button>
        </div>
        {link.isError && <Problem error={link.error} />}
        {link.data && <LinkResult url={link.data.url} expires={link.data.expires_at} testId="reset-link" />}
      </div>
      <ConfirmAction
        open={confirming}
        onOpenChange={(o) => {
          setConfirming(o);
          if (!o) status.reset();
        }}
        title={
          disabling ? t('staff.disableTitle', { name: s.name }) : t('staff.enableTitle', { name: s.name })
        }
        description={disabling ? t('staff.disableText') : t('staff.enableText')}
        confirmLabel={disabling ? t('staff.disable') : t('staff.enable')}
        danger={disabling}
        busy={status.isPending}
        error={status.error ?? undefined}
        onConfirm={() => status.mutate()}
        testId="staff-status-confirm"
      />
    </Card>
  );
};

const StaffDetail = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const { id = '' } = useParams();
  const { user } = useStaffSession();
  const query = useQuery({
    queryKey: staffKeys.one(id),
    queryFn: () => unwrap(staffApi.GET('/admin/staff/{id}', { params: { path: { id } } })),
  });
  return (
    <div className="pz-stack">
      <nav aria-label={t('customers.breadcrumb')}>
        <Link to="/staff">{t('staff.title')}</Link>
      </nav>
      <QueryState query={query} lines={6}>
        {(s) => (
          <div className="pz-stack">
            <div className="pz-row">
              <h1>{s.name}</h1>
              <RoleBadge role={s.role} />
              <StatusBadge status={s.status} />
            </div>
            <DefList
              items={[
                [t('staff.fields.email'), s.email],
                [t('staff.fields.created'), f.date(s.created_at)],
                [t('staff.fields.lastLogin'), s.last_login_at ? f.date(s.last_login_at) : '—'],
              ]}
            />
            {user?.id === s.id && <Alert tone="info">{t('staff.yourself')}</Alert>}
            {user?.role === 'manager' && s.role === 'owner' ? (
              <Alert tone="info">{t('staff.ownersOnly')}</Alert>
            ) : (
              <div className="cx-two">
                <EditStaff s={s} />
                <Access s={s} />
              </div>
            )}
          </div>
        )}
      </QueryState>
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <StaffDetail />
  </RequireAdmin>
);

export default Guarded;
