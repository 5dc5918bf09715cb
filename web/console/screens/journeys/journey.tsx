/** One journey: its entries by state, its versions, and the draft (trigger and steps) to edit, publish or pause. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Alert, Badge, Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import { RequireAdmin } from '../customers/ui.tsx';
import { type Definition, ENROLLMENT_STATES, type Journey, journeyKeys, statusTone } from './data.ts';
import { StepsEditor } from './steps.tsx';
import { TriggerEditor } from './trigger.tsx';
import '../campaigns/campaigns.css';

const Draft = ({ j }: { j: Journey }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const published = j.versions.find((v) => v.version === j.current_version);
  const fromPublished: Definition | null = published
    ? { trigger: published.trigger, steps: published.steps, exit_on: published.exit_on }
    : null;
  const start = j.draft ?? fromPublished;
  const [def, setDef] = useState<Definition | null>(start);
  const done = async (message: string) => {
    toast(message, 'success');
    await qc.invalidateQueries({ queryKey: journeyKeys.all });
  };
  const save = useMutation({
    mutationFn: (definition: Definition) =>
      unwrap(
        staffApi.PATCH('/admin/journeys/{id}', { params: { path: { id: j.id } }, body: { definition } }),
      ),
    onSuccess: () => done(t('journeys.saved')),
  });
  const publish = useMutation({
    mutationFn: async () => {
      if (def) await save.mutateAsync(def);
      return unwrap(staffApi.POST('/admin/journeys/{id}/publish', { params: { path: { id: j.id } } }));
    },
    onSuccess: () => done(t('journeys.publishedToast')),
  });
  if (!def) return <Alert tone="info">{t('journeys.noDraft')}</Alert>;
  return (
    <div className="pz-stack">
      <Card title={t('journeys.trigger.title')}>
        <TriggerEditor trigger={def.trigger} onChange={(trigger) => setDef({ ...def, trigger })} />
        <Field
          label={t('journeys.exitOn')}
          value={def.exit_on?.event ?? ''}
          dir="auto"
          hint={t('journeys.exitOnHint')}
          onChange={(e) =>
            setDef({
              ...def,
              exit_on: e.target.value ? { ...(def.exit_on ?? {}), event: e.target.value } : null,
            })
          }
        />
      </Card>
      <Card title={t('journeys.steps.title')}>
        <StepsEditor steps={def.steps} onChange={(steps) => setDef({ ...def, steps })} />
      </Card>
      {(save.isError || publish.isError) && <ProblemAlert error={publish.error ?? save.error} />}
      <div className="pz-row">
        <Button
          busy={save.isPending && !publish.isPending}
          onClick={() => save.mutate(def)}
          data-testid="journey-save"
        >
          {t('journeys.saveDraft')}
        </Button>
        <Button
          variant="primary"
          busy={publish.isPending}
          onClick={() => publish.mutate()}
          data-testid="journey-publish"
        >
          {t('journeys.publish')}
        </Button>
      </div>
    </div>
  );
};

const JourneyPage = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: journeyKeys.one(id),
    queryFn: () => unwrap(staffApi.GET('/admin/journeys/{id}', { params: { path: { id } } })),
  });
  const pause = useMutation({
    mutationFn: (to: 'pause' | 'resume') =>
      to === 'pause'
        ? unwrap(staffApi.POST('/admin/journeys/{id}/pause', { params: { path: { id } } }))
        : unwrap(staffApi.POST('/admin/journeys/{id}/resume', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: journeyKeys.all }),
  });
  return (
    <div className="pz-stack">
      <nav aria-label={t('journeys.breadcrumb')}>
        <Link to="/journeys">{t('journeys.title')}</Link>
      </nav>
      <QueryState query={query} lines={8}>
        {(j) => (
          <div className="pz-stack">
            <div className="pz-row">
              <h1 dir="auto" data-testid="journey-title">
                {j.name}
              </h1>
              <Badge tone={statusTone(j.status)}>
                <span data-testid="journey-status" data-status={j.status}>
                  {t(`journeys.statuses.${j.status}`)}
                </span>
              </Badge>
              <Badge>{t(`journeys.kinds.${j.kind}`)}</Badge>
              <span className="pz-spacer" />
              {j.status === 'active' && (
                <Button
                  busy={pause.isPending}
                  onClick={() => pause.mutate('pause')}
                  data-testid="journey-pause"
                >
                  {t('journeys.pause')}
                </Button>
              )}
              {j.status === 'paused' && (
                <Button
                  busy={pause.isPending}
                  onClick={() => pause.mutate('resume')}
                  data-testid="journey-resume"
                >
                  {t('journeys.resume')}
                </Button>
              )}
            </div>
            {j.template && <p className="pz-muted">{t(`journeys.templates.${j.template}.about`)}</p>}
            {pause.isError && <ProblemAlert error={pause.error} />}
            <Card title={t('journeys.enrollments')}>
              <ul className="cm-totals">
                {ENROLLMENT_STATES.map((s) => (
                  <li key={s} data-testid={`journey-enrolled-${s}`}>
                    <span className="cm-count">{f.number(j.enrollments[s] ?? 0)}</span>
                    <span className="pz-muted">{t(`journeys.states.${s}`)}</span>
                  </li>
                ))}
              </ul>
            </Card>
            {j.versions.length > 0 && (
              <Card title={t('journeys.versions')}>
                <ul className="cm-reasons">
                  {j.versions.map((v) => (
                    <li key={v.version}>
                      {t('journeys.versionLine', {
                        version: f.number(v.version),
                        at: f.date(v.published_at),
                      })}
                      {v.version === j.current_version && (
                        <Badge tone="success">{t('journeys.current')}</Badge>
                      )}
                    </li>
                  ))}
                </ul>
                <p className="pz-muted">{t('journeys.versionsHint')}</p>
              </Card>
            )}
            <Draft key={j.updated_at} j={j} />
          </div>
        )}
      </QueryState>
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <JourneyPage />
  </RequireAdmin>
);

export default Guarded;
