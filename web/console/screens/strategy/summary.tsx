/**
 * The recommendation of an assessment: its name (a phrase, e.g. a named hybrid), the confidence,
 * a bar per strategy's score, what changed since the previous assessment and why, the warnings
 * about missing or thin data, and the baselines the projections start from.
 */
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../kit/format.ts';
import { Alert, Badge, Card } from '../../../kit/ui.tsx';
import { type Assessment, type Result, STRATEGIES, type Strategy } from './data.ts';
import { useNames } from './names.tsx';
import { scoreBars } from './values.ts';

/** The three scores as bars on one scale (a bar left of the zero line is a negative score). */
export const ScoreBars = ({ scores, best }: { scores: Record<Strategy, number>; best: Strategy }) => {
  const n = useNames();
  const f = useFormat();
  const bars = scoreBars(scores);
  return (
    <ul className="st-bars" data-testid="strategy-scores">
      {STRATEGIES.map((s) => (
        <li key={s} data-strategy={s} data-best={s === best || undefined}>
          <span className="st-bar-label">{n.strategy(s)}</span>
          <span className="st-bar-track" aria-hidden="true">
            <span className="st-bar-zero" style={{ insetInlineStart: `${bars[s].zero}%` }} />
            <span
              className="st-bar"
              data-best={s === best || undefined}
              style={{ insetInlineStart: `${bars[s].start}%`, inlineSize: `${bars[s].size}%` }}
            />
          </span>
          <span className="pz-num st-bar-value" data-testid="strategy-score">
            {f.number(Math.round(scores[s] * 10) / 10)}
          </span>
        </li>
      ))}
    </ul>
  );
};

const Change = ({ change }: { change: NonNullable<Assessment['change']> }) => {
  const { t } = useTranslation();
  const n = useNames();
  return (
    <Alert tone={change.recommendation_changed ? 'warning' : 'info'}>
      <div data-testid="strategy-change">
        {change.recommendation_changed
          ? t('strategy.change.changed', {
              from: n.label('strategy', change.from),
              to: n.label('strategy', change.to),
            })
          : t('strategy.change.same', { strategy: n.label('strategy', change.to) })}
        {change.reasons.length > 0 && (
          <ul className="st-caps">
            {change.reasons.map((r) => (
              <li key={`${r.key}:${JSON.stringify(r.params)}`}>{n.phrase(r)}</li>
            ))}
          </ul>
        )}
      </div>
    </Alert>
  );
};

export const Recommendation = ({ a }: { a: Assessment }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const r = a.result.recommendation;
  const scope = (title: string, items: string[], prefix: 'channel' | 'medium') =>
    items.length > 0 && (
      <div>
        <dt>{title}</dt>
        <dd className="st-small">
          {n.list(
            items.map((x) => n.label(prefix, x)),
            'unit',
          )}
        </dd>
      </div>
    );
  return (
    <Card title={t('strategy.recommendation.title')}>
      <div className="pz-stack">
        <div className="pz-row st-reco">
          <h2 className="st-reco-name" data-testid="strategy-recommendation" data-strategy={r.strategy}>
            {n.phrase(r.name)}
          </h2>
          <Badge tone="info">{n.strategy(r.strategy)}</Badge>
        </div>
        <dl className="st-stats">
          <div>
            <dt>{t('strategy.recommendation.confidence')}</dt>
            <dd data-testid="strategy-confidence">{n.percent(a.result.confidence)}</dd>
          </div>
          <div>
            <dt>{t('strategy.recommendation.margin')}</dt>
            <dd>{t('strategy.points', { n: f.number(Math.round(r.margin * 10) / 10) })}</dd>
          </div>
          <div>
            <dt>{t('strategy.recommendation.made')}</dt>
            <dd className="st-small">
              {f.date(a.created_at)} · {t(`strategy.trigger.${a.trigger}`)}
            </dd>
          </div>
          <div>
            <dt>{t('strategy.recommendation.weights')}</dt>
            <dd className="st-small">{t('strategy.version', { n: f.number(a.weights_version) })}</dd>
          </div>
          {scope(t('strategy.recommendation.scope'), r.omnichannel_scope, 'channel')}
          {scope(t('strategy.recommendation.media'), r.multichannel_media, 'medium')}
        </dl>
        <ScoreBars scores={a.result.scores} best={r.strategy} />
        {a.change && <Change change={a.change} />}
      </div>
    </Card>
  );
};

export const Warnings = ({ warnings }: { warnings: Result['warnings'] }) => {
  const { t } = useTranslation();
  const n = useNames();
  if (warnings.length === 0) return null;
  return (
    <Alert tone="warning">
      <strong>{t('strategy.warnings.title')}</strong>
      <ul className="st-caps" data-testid="strategy-warnings">
        {warnings.map((w) => (
          <li key={`${w.key}:${JSON.stringify(w.params)}`}>{n.phrase(w)}</li>
        ))}
      </ul>
    </Alert>
  );
};

export const Baselines = ({ result, currency }: { result: Result; currency: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const b = result.baselines;
  return (
    <Card title={t('strategy.baselines.title')}>
      <dl className="st-stats">
        <div>
          <dt>{t('strategy.baselines.revenue')}</dt>
          <dd>{f.money(Math.round(b.annual_revenue), currency)}</dd>
        </div>
        <div>
          <dt>{t('strategy.baselines.retention')}</dt>
          <dd>{n.percent(b.retention_rate)}</dd>
        </div>
        <div>
          <dt>{t('strategy.baselines.clv')}</dt>
          <dd>{f.money(Math.round(b.customer_lifetime_value), currency)}</dd>
        </div>
        <div>
          <dt>{t('strategy.baselines.customers')}</dt>
          <dd>{f.number(Math.round(b.customers))}</dd>
        </div>
        <div>
          <dt>{t('strategy.baselines.source')}</dt>
          <dd className="st-small">{t(`strategy.baselines.sources.${b.source}`)}</dd>
        </div>
      </dl>
      {b.assumptions.length > 0 && (
        <>
          <h3 className="st-h3">{t('strategy.baselines.assumptions')}</h3>
          <ul className="st-list st-caps">
            {b.assumptions.map((p) => (
              <li key={`${p.key}:${JSON.stringify(p.params)}`}>{n.phrase(p)}</li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
};
