/** One event source: its settings, its write keys (copy, create, rotate, revoke), the snippets, archive. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Alert, Badge, Button, Card } from '../../../kit/ui.tsx';
import { ConfirmAction, Problem, RequireAdmin } from '../customers/ui.tsx';
import { RETENTIONS, type Source, sourceKeys } from './data.ts';
import { WriteKeys } from './keys.tsx';
import { RetentionLabel, useChannels, useRetentionLabel } from './list.tsx';
import './events.css';

const Settings = ({ source }: { source: Source }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState(source.name);
  const [retention, setRetention] = useState(String(source.retention_months));
  const [archiving, setArchiving] = useState(false);
  const retentionLabel = useRetentionLabel();
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.PATCH('/admin/event-sources/{id}', {
          params: { path: { id: source.id } },
          body: { name: name.trim(), retention_months: Number(retention) as (typeof RETENTIONS)[number] },
        }),
      ),
    onSuccess: async () => {
      toast(t('events.saved'), 'success');
      await qc.invalidateQueries({ queryKey: sourceKeys.all });
    },
  });
  const archive = useMutation({
    mutationFn: () =>
      unwrap(staffApi.POST('/admin/event-sources/{id}/archive', { params: { path: { id: source.id } } })),
    onSuccess: async () => {
      setArchiving(false);
      await qc.invalidateQueries({ queryKey: sourceKeys.all });
    },
  });
  const plaza = source.kind === 'plaza';
  return (
    <Card title={t('events.settings')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Field
          label={t('events.fields.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          disabled={plaza}
        />
        <SelectField
          label={t('events.fields.retention')}
          hint={t('events.hints.retention')}
          value={retention}
          onChange={(e) => setRetention(e.target.value)}
        >
          {RETENTIONS.map((m) => (
            <option key={m} value={String(m)}>
              {retentionLabel(m)}
            </option>
          ))}
        </SelectField>
        {save.isError && <Problem error={save.error} />}
        <div className="pz-row">
          <Button
            type="submit"
            variant="primary"
            busy={save.isPending}
            disabled={source.archived_at !== null}
          >
            {t('events.save')}
          </Button>
          <span className="pz-spacer" />
          {!plaza && source.archived_at === null && (
            <Button variant="danger" onClick={() => setArchiving(true)}>
              {t('events.archive.open')}
            </Button>
          )}
        </div>
      </form>
      <ConfirmAction
        open={archiving}
        onOpenChange={setArchiving}
        title={t('events.archive.title')}
        description={t('events.archive.description')}
        confirmLabel={t('events.archive.confirm')}
        onConfirm={() => archive.mutate()}
        busy={archive.isPending}
        error={archive.error}
      />
    </Card>
  );
};

const SourcePage = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const { id = '' } = useParams();
  const channels = useChannels();
  const query = useQuery({
    queryKey: sourceKeys.one(id),
    queryFn: () => unwrap(staffApi.GET('/admin/event-sources/{id}', { params: { path: { id } } })),
  });
  return (
    <div className="pz-stack">
      <nav aria-label={t('events.breadcrumb')}>
        <Link to="/sources">{t('events.title')}</Link>
      </nav>
      <QueryState query={query} lines={6}>
        {(s) => (
          <div className="pz-stack">
            <div className="pz-row">
              <h1 dir="auto" data-testid="source-name">
                {s.name}
              </h1>
              <Badge tone="info">{t(`events.kinds.${s.kind}`)}</Badge>
              {s.archived_at && <Badge>{t('events.archived')}</Badge>}
              <span className="pz-spacer" />
              <Link className="pz-btn" to={`/sources/${s.id}/debugger`} data-testid="source-debugger">
                {t('events.debugger.open')}
              </Link>
            </div>
            <p className="pz-muted">
              <span className="pz-mono" dir="ltr">
                {s.id}
              </span>
              {' · '}
              {s.channel_id
                ? ((channels.data?.data ?? []).find((c) => c.id === s.channel_id)?.name ?? s.channel_id)
                : t('events.noChannel')}
              {' · '}
              <RetentionLabel months={s.retention_months} />
              {' · '}
              {f.date(s.created_at)}
            </p>
            {s.archived_at && <Alert tone="info">{t('events.archivedNotice')}</Alert>}
            <WriteKeys source={s} />
            <Settings key={s.updated_at} source={s} />
          </div>
        )}
      </QueryState>
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <SourcePage />
  </RequireAdmin>
);

export default Guarded;
