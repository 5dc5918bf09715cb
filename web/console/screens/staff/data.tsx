/** Staff area: types from the generated client, query keys, and the pieces both screens use. */
import type { components } from '@plaza/client';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { staffApi, useStaffSession } from '../../../kit/session.tsx';
import { Badge } from '../../../kit/ui.tsx';
import { CheckField } from '../customers/ui.tsx';

export type Staff = components['schemas']['StaffUser'];
export type StaffRole = Staff['role'];
export type StaffStatus = Staff['status'];
export const ROLES: readonly StaffRole[] = ['owner', 'manager', 'staff'];
export const STATUSES: readonly StaffStatus[] = ['invited', 'active', 'disabled'];

export const staffKeys = {
  list: (p: Record<string, string | undefined>) => ['staff', 'list', p] as const,
  one: (id: string) => ['staff', id] as const,
};

/** Roles the signed-in person may give: only owners make owners. */
export const useAssignableRoles = (): readonly StaffRole[] => {
  const { user } = useStaffSession();
  return user?.role === 'owner' ? ROLES : ROLES.filter((r) => r !== 'owner');
};

export const useLocations = () =>
  useQuery({
    queryKey: ['locations', 'names'],
    queryFn: () => unwrap(staffApi.GET('/admin/locations', { params: { query: { limit: 100 } } })),
    staleTime: 300_000,
  });

export const RoleBadge = ({ role }: { role: StaffRole }) => {
  const { t } = useTranslation();
  return <Badge tone={role === 'staff' ? 'neutral' : 'info'}>{t(`frame.roles.${role}`)}</Badge>;
};

export const StatusBadge = ({ status }: { status: StaffStatus }) => {
  const { t } = useTranslation();
  const tone = status === 'active' ? 'success' : status === 'invited' ? 'warning' : 'neutral';
  return <Badge tone={tone}>{t(`staff.statuses.${status}`)}</Badge>;
};

/** Checkboxes of the stores (and warehouses) a `staff` user works at. */
export const LocationChoice = ({
  value,
  onChange,
  error,
}: {
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
}) => {
  const { t } = useTranslation();
  const locations = useLocations();
  return (
    <fieldset className="pz-field">
      <legend>{t('staff.fields.locations')}</legend>
      {(locations.data?.data ?? [])
        .filter((l) => l.type === 'store')
        .map((l) => (
          <CheckField
            key={l.id}
            label={l.name}
            checked={value.includes(l.id)}
            onChange={(e) => onChange(e.target.checked ? [...value, l.id] : value.filter((x) => x !== l.id))}
          />
        ))}
      <span className="pz-hint">{t('staff.hints.locations')}</span>
      {error && (
        <span className="pz-error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
};
