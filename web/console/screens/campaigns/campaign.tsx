/** One campaign: what it is, schedule / pause / resume / cancel, its progress and results, and why not sent. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { Alert, Badge, Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import { ConfirmAction, DefList, RequireAdmin } from '../customers/ui.tsx';
import { type Campaign, campaignKeys, LIVE, statusTone } from './data.ts';
import { Results } from './results.tsx';
import { WhyNotSent } from './trace.tsx';
import './campaigns.css';

type Action = 'schedule' | 'pause' | 'resume' | 'cancel';

const actionsFor = (s: Campaign['status']): Action[] =>
  s === 'draft'
    ? ['schedule', 'cancel']
    : s === 'paused'
      ? ['resume', 'cancel']
      : LIVE.includes(s)
        ? ['pause', 'cancel']
        : [];

const Actions = ({ c }: { c: Campaign }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const act = useMutation({
    mutationFn: (a: Action) => {
      const params = { params: { path: { id: c.id } } };
      switch (a) {
        case 'schedule':
          return unwrap(staffApi.POST('/admin/campaigns/{id}/schedule', params));
        case 'pause':
          return unwrap(staffApi.POST('/admin/campaigns/{id}/pause', params));
        case 'resume':
          return unwrap(staffApi.POST('/admin/campaigns/{id}/resume', params));
        case 'cancel':
          return unwrap(staffApi.POST('/admin/campaigns/{id}/cancel', params));
      }
    },
    onSuccess: async () => {
      setConfirmCancel(false);
      await qc.invalidateQueries({ queryKey: campaignKeys.all });
    },
  });
  const actions = actionsFor(c.status);
  return (
    <>
      <div className="pz-row">
        {c.status === 'draft' && (
          <Link className="pz-btn" to={`/campaigns/${c.id}/edit`} data-testid="campaign-edit">
            {t('campaigns.actions.edit')}
          </Link>
        )}
        {actions
          .filter((a) => a !== 'cancel')
          .map((a) => (
            <Button
              key={a}
              variant={a === 'schedule' || a === 'resume' ? 'primary' : 'secondary'}
              busy={act.isPending && act.variables === a}
              data-testid={`campaign-${a}`}
              onClick={() => act.mutate(a)}
            >
              {t(`campaigns.actions.${a}`)}
            </Button>
          ))}
        {actions.includes('cancel') && (
          <Button variant="danger" data-testid="campaign-cancel" onClick={() => setConfirmCancel(true)}>
            {t('campaigns.actions.cancel')}
          </Button>
        )}
      </div>
      {act.isError && act.variables !== 'cancel' && <ProblemAlert error={act.error} />}
      <ConfirmAction
        open={confirmCancel}
        onOpenChange={setConfirmCancel}
        title={t('campaigns.cancelDialog.title')}
        description={t('campaigns.cancelDialog.description')}
        confirmLabel={t('campaigns.actions.cancel')}
        onConfirm={() => act.mutate('cancel')}
        busy={act.isPending}
        error={act.variables === 'cancel' ? act.error : null}
      />
    </>
  );
};

const ScheduleText = ({ c }: { c: Campaign }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const s = c.schedule;
  if (s.mode === 'at' && s.at) return <>{t('campaigns.schedule.atText', { at: f.date(s.at) })}</>;
  if (s.mode === 'local_time')
    return <>{t('campaigns.schedule.localText', { time: s.local_time ?? '', date: s.date ?? '' })}</>;
  return <>{t('campaigns.schedule.now')}</>;
};

const CampaignPage = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: campaignKeys.one(id),
    queryFn: () => unwrap(staffApi.GET('/admin/campaigns/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && LIVE.includes(q.state.data.status) ? 2000 : false),
  });
  return (
    <div className="pz-stack">
      <nav aria-label={t('campaigns.breadcrumb')}>
        <Link to="/campaigns">{t('campaigns.title')}</Link>
      </nav>
      <QueryState query={query} lines={8}>
        {(c) => (
          <div className="pz-stack">
            <div className="pz-row">
              <h1 dir="auto" data-testid="campaign-title">
                {c.name}
              </h1>
              <Badge tone={statusTone(c.status)}>
                <span data-testid="campaign-status" data-status={c.status}>
                  {t(`campaigns.statuses.${c.status}`)}
                </span>
              </Badge>
              <span className="pz-spacer" />
              <Actions c={c} />
            </div>
            {c.status_reason && (
              <Alert tone="info">
                {t('campaigns.statusReason', {
                  reason: t(`campaigns.reasons.${c.status_reason}`, { defaultValue: c.status_reason }),
                })}
              </Alert>
            )}
            <Card title={t('campaigns.summary')}>
              <DefList
                items={[
                  [
                    t('campaigns.editor.audience'),
                    c.segment_id ? (
                      <Link key="segment" to={`/segments/${c.segment_id}`}>
                        {t('campaigns.audience.segment')}
                      </Link>
                    ) : (
                      t('campaigns.audience.list')
                    ),
                  ],
                  [t('campaigns.fields.media'), c.media.map((m) => t(`campaigns.media.${m}`)).join(', ')],
                  [t('campaigns.fields.kind'), t(`campaigns.kinds.${c.kind}`)],
                  [t('campaigns.editor.schedule'), <ScheduleText key="schedule" c={c} />],
                  [
                    t('campaigns.content.variants'),
                    c.variants.map((v) => `${v.key.toUpperCase()} ${f.number(v.split)} %`).join(' · '),
                  ],
                  [t('campaigns.fields.holdout'), `${f.number(c.holdout_percent)} %`],
                  ...(c.winner_variant
                    ? [[t('campaigns.winner.chosen'), c.winner_variant.toUpperCase()] as [string, string]]
                    : []),
                ]}
              />
            </Card>
            {c.status !== 'draft' && (
              <>
                <Results c={c} />
                <WhyNotSent c={c} />
              </>
            )}
          </div>
        )}
      </QueryState>
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <CampaignPage />
  </RequireAdmin>
);

export default Guarded;
