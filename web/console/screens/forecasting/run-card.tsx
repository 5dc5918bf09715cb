/**
 * The last forecasting run (status, series, duration, the models chosen, the backtest error against
 * seasonal naive) and "Run now", which asks the worker for a run over everything (202): the card
 * follows the runs until the asked one has finished.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Alert, Badge, Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import { forecastKeys, type Run, round2, useRuns } from './data.ts';
import { modelMix } from './series-data.ts';

const TONE = { running: 'info', completed: 'success', failed: 'danger' } as const;

export const RunStatus = ({ status }: { status: Run['status'] }) => {
  const { t } = useTranslation();
  return <Badge tone={TONE[status]}>{t(`forecasting.run.status.${status}`)}</Badge>;
};

/** "13 % less error than seasonal naive" (or more), from the run's relative MAE. */
const Relative = ({ value }: { value: number | null | undefined }) => {
  const { t } = useTranslation();
  const f = useFormat();
  if (value === null || value === undefined) return <>{t('forecasting.run.noBacktest')}</>;
  const pct = f.number(Math.round(Math.abs(1 - value) * 100));
  return (
    <>
      {f.number(round2(value))}{' '}
      <span className="fc-sub">
        {value <= 1 ? t('forecasting.run.better', { pct }) : t('forecasting.run.worse', { pct })}
      </span>
    </>
  );
};

const RunFigures = ({ run }: { run: Run }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const mix = modelMix(run.summary.models);
  return (
    <div className="pz-stack">
      <dl className="fc-stats" data-testid="forecast-run">
        <div>
          <dt>{t('forecasting.run.statusLabel')}</dt>
          <dd data-testid="forecast-run-status">
            <RunStatus status={run.status} />
          </dd>
        </div>
        <div>
          <dt>{t('forecasting.run.scope')}</dt>
          <dd>{run.sku ? <span className="pz-mono">{run.sku}</span> : t('forecasting.run.scopeAll')}</dd>
        </div>
        <div>
          <dt>{t('forecasting.run.started')}</dt>
          <dd>{f.date(run.started_at)}</dd>
        </div>
        <div>
          <dt>{t('forecasting.run.series')}</dt>
          <dd data-testid="forecast-run-series">{f.number(run.series)}</dd>
        </div>
        <div>
          <dt>{t('forecasting.run.duration')}</dt>
          <dd>
            {run.duration_ms === null
              ? '—'
              : t('forecasting.run.seconds', { n: f.number(round2(run.duration_ms / 1000)) })}
          </dd>
        </div>
        <div>
          <dt>{t('forecasting.run.relativeMae')}</dt>
          <dd>
            <Relative value={run.summary.relative_mae} />
          </dd>
        </div>
      </dl>
      {run.error && <Alert>{run.error}</Alert>}
      {mix.length > 0 && (
        <div>
          <h3 className="fc-h3">{t('forecasting.run.mix')}</h3>
          <ul className="fc-mix" data-testid="forecast-run-mix">
            {mix.slice(0, 8).map((m) => (
              <li key={m.model}>
                <span>{t(`forecasting.models.${m.model}`, { defaultValue: m.model })}</span>
                <span className="pz-num">
                  {t('forecasting.run.mixShare', {
                    n: f.number(m.count),
                    pct: f.number(Math.round(m.share * 1000) / 10),
                  })}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
};

export const RunCard = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const [asked, setAsked] = useState<string | null>(null);
  const runs = useRuns(asked !== null);
  const ask = useMutation({
    mutationFn: () => unwrap(staffApi.POST('/admin/forecasts/runs', { body: {} })),
    onSuccess: (answer) => {
      const at = 'requested_at' in answer ? answer.requested_at : answer.started_at;
      setAsked(at);
      toast(t('forecasting.run.asked'), 'success');
      return qc.invalidateQueries({ queryKey: forecastKeys.runs });
    },
  });
  const all = runs.data?.data.find((r) => r.scope === 'all');
  const sku = runs.data?.data.find((r) => r.scope === 'sku');
  const shown = all ?? sku;
  // Waiting for the worker: no run over everything has started since the request.
  const waiting = asked !== null && (!all || all.started_at < asked);
  const running = runs.data?.data.some((r) => r.status === 'running') ?? false;
  return (
    <Card
      title={t('forecasting.run.title')}
      actions={
        <Button
          variant="primary"
          onClick={() => ask.mutate()}
          busy={ask.isPending}
          disabled={waiting || running}
          data-testid="forecast-run-now"
        >
          {t('forecasting.run.now')}
        </Button>
      }
    >
      {ask.isError && <ProblemAlert error={ask.error} />}
      {(waiting || running) && (
        <Alert tone="info">
          <span data-testid="forecast-run-waiting">
            {waiting
              ? t('forecasting.run.waiting', { at: f.date(asked ?? '') })
              : t('forecasting.run.inProgress')}
          </span>
        </Alert>
      )}
      <QueryState query={runs}>
        {() =>
          shown ? (
            <>
              <RunFigures run={shown} />
              {sku && shown !== sku && (
                <p className="pz-muted" data-testid="forecast-run-sku">
                  {t('forecasting.run.lastSku', { sku: sku.sku ?? '', at: f.date(sku.started_at) })}{' '}
                  <RunStatus status={sku.status} />
                </p>
              )}
            </>
          ) : (
            <p className="pz-muted">{t('forecasting.run.none')}</p>
          )
        }
      </QueryState>
    </Card>
  );
};
