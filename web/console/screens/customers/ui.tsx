/** Small form and display pieces shared by the customers, channels, webhooks, staff and settings screens. */

import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ApiError, unwrap } from '../../../kit/api.ts';
import { Dialog } from '../../../kit/overlay.tsx';
import { staffApi, useStaffSession } from '../../../kit/session.tsx';
import { Alert, Badge, Button, ProblemAlert } from '../../../kit/ui.tsx';
import type { Customer } from './data.ts';
import './styles.css';

export { CheckField, SelectField, TextAreaField } from '../../../kit/fields.tsx';

/** Term / value pairs. */
export const DefList = ({ items }: { items: [ReactNode, ReactNode][] }) => (
  <dl className="cx-dl">
    {items.map(([k, v], i) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list
      <div key={i} style={{ display: 'contents' }}>
        <dt>{k}</dt>
        <dd>{v}</dd>
      </div>
    ))}
  </dl>
);

/** A value shown once (a secret, a one-time link), with a copy button. */
export const OneTimeValue = ({ value, testId }: { value: string; testId?: string }) => {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <div className="pz-stack">
      <code className="cx-secret" dir="ltr" data-testid={testId}>
        {value}
      </code>
      <div className="pz-row">
        <Button
          onClick={() =>
            void navigator.clipboard?.writeText(value).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? t('customers.common.copied') : t('customers.common.copy')}
        </Button>
        <span className="pz-muted" role="status">
          {t('customers.common.shownOnce')}
        </span>
      </div>
    </div>
  );
};

export const StatusBadge = ({ status }: { status: Customer['status'] }) => {
  const { t } = useTranslation();
  const tone = status === 'active' ? 'success' : status === 'erased' ? 'danger' : 'warning';
  return <Badge tone={tone}>{t(`customers.status.${status}`)}</Badge>;
};

/**
 * Asks before an action that cannot simply be taken back; unlike the kit's ConfirmDialog it shows the
 * refusal (and any extra fields) inside the dialog, so the person sees why nothing happened.
 */
export const ConfirmAction = ({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  onConfirm,
  busy,
  error,
  danger = true,
  disabled,
  children,
  testId,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  confirmLabel: ReactNode;
  onConfirm: () => void;
  busy?: boolean;
  error?: unknown;
  danger?: boolean;
  disabled?: boolean;
  children?: ReactNode;
  testId?: string;
}) => {
  const { t } = useTranslation('kit');
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title} description={description}>
      <div className="pz-stack">
        {children}
        {error !== undefined && error !== null && <Problem error={error} />}
        <div className="pz-row">
          <span className="pz-spacer" />
          <Button onClick={() => onOpenChange(false)}>{t('cancel')}</Button>
          <Button
            variant={danger ? 'danger' : 'primary'}
            onClick={onConfirm}
            busy={busy}
            disabled={disabled}
            data-testid={testId}
          >
            {confirmLabel}
          </Button>
        </div>
      </div>
    </Dialog>
  );
};

/**
 * The kit's ProblemAlert plus each field message of a VALIDATION_FAILED answer, for refusals whose
 * field is not on the form (a location in a list, a setting): the person still reads what was wrong.
 */
export const Problem = ({ error, onRetry }: { error: unknown; onRetry?: () => void }) => {
  const fields = error instanceof ApiError ? (error.problem.errors ?? []) : [];
  return (
    <div className="pz-stack">
      <ProblemAlert error={error} {...(onRetry ? { onRetry } : {})} />
      {fields.length > 0 && (
        <ul className="cx-list pz-error">
          {fields.map((e) => (
            <li key={`${e.path}:${e.message}`}>{e.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
};

/**
 * Screens for owners and managers only: a staff user who opens one by its address reads why,
 * instead of a screen whose every request the API refuses.
 */
export const RequireAdmin = ({ children }: { children: ReactNode }) => {
  const { t } = useTranslation();
  const { user } = useStaffSession();
  if (user?.role === 'staff') return <Alert tone="info">{t('customers.common.adminsOnly')}</Alert>;
  return <>{children}</>;
};

/**
 * Like the kit's applyProblemToForm, but a field also takes the messages about its parts
 * (`body.settings.allowed_origins.0`, `body.location_ids.1`): the message shows next to the field.
 */
export const applyProblemDeep = <T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
): boolean => {
  if (!(error instanceof ApiError)) return false;
  let placed = false;
  for (const f of fields) {
    const hit = (error.problem.errors ?? []).find((e) => e.path.split('.').includes(String(f)));
    if (hit) {
      setError(f, { type: 'server', message: hit.message });
      placed = true;
    }
  }
  return placed;
};

/** The actor of an audit row: a staff user's name when the actor is one (`token:usr_…`), else as written. */
export const Actor = ({ actor }: { actor: string }) => {
  const { user: me } = useStaffSession();
  const id = /\busr_[0-9A-Za-z]+/.exec(actor)?.[0] ?? '';
  const user = useQuery({
    queryKey: ['staff', id],
    queryFn: () => unwrap(staffApi.GET('/admin/staff/{id}', { params: { path: { id } } })),
    enabled: id !== '' && (me?.role === 'owner' || me?.role === 'manager'),
    staleTime: 300_000,
  });
  return <>{user.data ? `${user.data.name} (${user.data.email})` : actor}</>;
};
