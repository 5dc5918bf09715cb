/**
 * The figures behind a suggestion (its `detail`: the reason, and the receiving location's policy:
 * reorder point, order-up-to level, safety stock …) in a disclosure. `detail` is an open object in
 * the API, so each figure is read only when it is a number.
 */
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../kit/format.ts';
import { round2 } from './data.ts';
import { FIGURES, type Figure, policyOf, reasonOf } from './policy-values.ts';

export const Reason = ({ detail }: { detail: Record<string, unknown> }) => {
  const { t } = useTranslation();
  const r = reasonOf(detail);
  return <>{r ? t(`forecasting.reasons.${r}`, { defaultValue: r }) : '—'}</>;
};

export const PolicyDetails = ({ detail }: { detail: Record<string, unknown> }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const p = policyOf(detail);
  const shown = FIGURES.filter((k) => p[k] !== undefined);
  if (shown.length === 0) return <>—</>;
  const value = (k: Figure, v: number) =>
    k === 'service_level' ? t('forecasting.percent', { n: f.number(round2(v * 100)) }) : f.number(round2(v));
  return (
    <details className="fc-details">
      <summary>
        {t('forecasting.policy.summary', {
          rop: f.number(round2(p.reorder_point ?? 0)),
          upTo: f.number(round2(p.order_up_to ?? 0)),
        })}
      </summary>
      <dl className="fc-policy">
        {shown.map((k) => (
          <div key={k}>
            <dt>{t(`forecasting.policy.${k}`)}</dt>
            <dd>{value(k, p[k] ?? 0)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
};
