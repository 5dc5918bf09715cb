/** A source's write keys: public keys (like Segment's), copied into the page or server; rotate and revoke ask first. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { useFormat } from '../../../kit/format.ts';
import { ConfirmDialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { Badge, Button, Card, EmptyState } from '../../../kit/ui.tsx';
import { ConfirmAction, Problem } from '../customers/ui.tsx';
import { type Source, sourceKeys, type WriteKey } from './data.ts';
import { CopyButton, Snippets } from './snippets.tsx';

const GRACE_HOURS = [0, 1, 24, 168] as const;

const TONES = { active: 'success', expiring: 'warning', expired: 'neutral', revoked: 'danger' } as const;

const KeyRow = ({ source, k }: { source: Source; k: WriteKey }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const [rotating, setRotating] = useState(false);
  const [grace, setGrace] = useState('24');
  const [revoking, setRevoking] = useState(false);
  const done = () => qc.invalidateQueries({ queryKey: sourceKeys.all });
  const rotate = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.POST('/admin/event-sources/{id}/write-keys/{keyId}/rotate', {
          params: { path: { id: source.id, keyId: k.id } },
          body: { grace_hours: Number(grace) },
        }),
      ),
    onSuccess: async () => {
      setRotating(false);
      await done();
    },
  });
  const revoke = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.DELETE('/admin/event-sources/{id}/write-keys/{keyId}', {
          params: { path: { id: source.id, keyId: k.id } },
        }),
      ),
    onSuccess: async () => {
      setRevoking(false);
      await done();
    },
  });
  const state = k.status;
  const usable = state === 'active' || state === 'expiring';
  return (
    <li className="pz-stack" data-testid="write-key" data-state={state}>
      <div className="pz-row">
        <code className="ev-key" dir="ltr" data-testid="write-key-value">
          {k.key}
        </code>
        <CopyButton text={k.key} label={t('events.keys.copy')} />
        <Badge tone={TONES[state]}>{t(`events.keys.states.${state}`)}</Badge>
      </div>
      <div className="pz-row pz-muted">
        <span>{t('events.keys.created', { date: f.date(k.created_at) })}</span>
        {k.expires_at && !k.revoked_at && (
          <span>{t('events.keys.expires', { date: f.date(k.expires_at) })}</span>
        )}
        {k.revoked_at && <span>{t('events.keys.revokedAt', { date: f.date(k.revoked_at) })}</span>}
        <span className="pz-spacer" />
        {usable && source.archived_at === null && (
          <>
            <Button onClick={() => setRotating(true)}>{t('events.keys.rotate')}</Button>
            <Button variant="danger" onClick={() => setRevoking(true)}>
              {t('events.keys.revoke')}
            </Button>
          </>
        )}
      </div>
      <ConfirmAction
        open={rotating}
        onOpenChange={setRotating}
        title={t('events.keys.rotateTitle')}
        description={t('events.keys.rotateIntro')}
        confirmLabel={t('events.keys.rotate')}
        onConfirm={() => rotate.mutate()}
        busy={rotate.isPending}
        error={rotate.error}
        danger={grace === '0'}
      >
        <SelectField label={t('events.keys.grace')} value={grace} onChange={(e) => setGrace(e.target.value)}>
          {GRACE_HOURS.map((h) => (
            <option key={h} value={String(h)}>
              {t(`events.keys.graces.${h}`)}
            </option>
          ))}
        </SelectField>
      </ConfirmAction>
      <ConfirmDialog
        open={revoking}
        onOpenChange={setRevoking}
        title={t('events.keys.revokeTitle')}
        description={t('events.keys.revokeIntro')}
        confirmLabel={t('events.keys.revoke')}
        onConfirm={() => revoke.mutate()}
        busy={revoke.isPending}
      />
      {revoke.isError && <Problem error={revoke.error} />}
    </li>
  );
};

export const WriteKeys = ({ source }: { source: Source }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const create = useMutation({
    mutationFn: () =>
      unwrap(staffApi.POST('/admin/event-sources/{id}/write-keys', { params: { path: { id: source.id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: sourceKeys.all }),
  });
  if (source.kind === 'plaza') return <Card title={t('events.keys.title')}>{t('events.keys.plaza')}</Card>;
  const keys = source.write_keys;
  const live = keys.find((k) => k.status === 'active') ?? keys.find((k) => k.status === 'expiring');
  return (
    <>
      <Card
        title={t('events.keys.title')}
        actions={
          source.archived_at === null && (
            <Button onClick={() => create.mutate()} busy={create.isPending} data-testid="write-key-create">
              {t('events.keys.create')}
            </Button>
          )
        }
      >
        <p className="pz-muted">{t('events.keys.intro')}</p>
        {create.isError && <Problem error={create.error} />}
        {keys.length === 0 ? (
          <EmptyState title={t('events.keys.empty')} />
        ) : (
          <ul className="ev-feed">
            {keys.map((k) => (
              <KeyRow key={k.id} source={source} k={k} />
            ))}
          </ul>
        )}
      </Card>
      {live && (
        <Card title={t('events.snippets.title')}>
          <Snippets writeKey={live.key} />
        </Card>
      )}
    </>
  );
};
