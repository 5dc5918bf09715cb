/**
 * Which inputs would change the recommendation: "changing X from a to b makes it multichannel",
 * with the distance for a number (the model's own sentence says the same, so it is not repeated);
 * in the API's order, the nearest change first.
 */
import { useTranslation } from 'react-i18next';
import { Card } from '../../../kit/ui.tsx';
import type { Measure, Sensitivity as Row } from './data.ts';
import { useNames } from './names.tsx';

export const Sensitivity = ({
  rows,
  measures,
  currency,
}: {
  rows: readonly Row[];
  measures: readonly Measure[];
  currency: string;
}) => {
  const { t } = useTranslation();
  const n = useNames();
  const unitOf = (key: string) => measures.find((m) => m.key === key)?.unit;
  return (
    <Card title={t('strategy.sensitivity.title')}>
      <p className="pz-muted">{t('strategy.sensitivity.intro')}</p>
      {rows.length === 0 ? (
        <p className="pz-muted" data-testid="sensitivity-none">
          {t('strategy.sensitivity.none')}
        </p>
      ) : (
        <ul className="st-list" data-testid="strategy-sensitivity">
          {rows.map((r) => (
            <li key={`${r.factor}:${r.input}`} data-testid="sensitivity-row" data-becomes={r.becomes}>
              <span>
                {t('strategy.sensitivity.line', {
                  input: n.input(r.input),
                  from: n.value(r.input, r.source, r.current, currency, unitOf(r.input)),
                  to: n.value(r.input, r.source, r.flips_at, currency, unitOf(r.input)),
                  becomes: n.label('strategy', r.becomes),
                })}
              </span>
              {r.change !== null && (
                <span className="pz-muted st-small">
                  {' '}
                  ({n.change(r.input, r.source, r.change, currency, unitOf(r.input))})
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
};
