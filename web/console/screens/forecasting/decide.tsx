/**
 * Accepting or dismissing the selected suggestions (POST /admin/replenishment/suggestions/accept |
 * dismiss), and what an acceptance made: the transfers (links to the inventory screens) and the draft
 * purchase orders (links to this area's purchase order screen).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Alert, Button, ProblemAlert } from '../../../kit/ui.tsx';
import { type Accepted, atNoon, forecastKeys, useForecastSettings } from './data.ts';

/** The ids a table has ticked, and a way to tick one, several or none. */
export const useSelection = () => {
  const [ids, setIds] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string, on: boolean) =>
    setIds((s) => {
      const n = new Set(s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });
  const setMany = (list: readonly string[], on: boolean) =>
    setIds((s) => {
      const n = new Set(s);
      for (const id of list) {
        if (on) n.add(id);
        else n.delete(id);
      }
      return n;
    });
  return { ids, toggle, setMany, clear: () => setIds(new Set()) };
};
export type Selection = ReturnType<typeof useSelection>;

/** A checkbox that ticks one row, or (with `all`) every row of a list. */
export const Tick = ({
  selection,
  ids,
  label,
  testId,
}: {
  selection: Selection;
  ids: readonly string[];
  label: string;
  testId?: string;
}) => {
  const on = ids.length > 0 && ids.every((id) => selection.ids.has(id));
  return (
    <input
      type="checkbox"
      aria-label={label}
      checked={on}
      disabled={ids.length === 0}
      data-testid={testId}
      onChange={(e) => selection.setMany(ids, e.target.checked)}
      onClick={(e) => e.stopPropagation()}
    />
  );
};

/** The transfers and purchase orders an acceptance created, as links. */
export const AcceptedLinks = ({ made }: { made: Accepted }) => {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Alert tone="success">
      <div className="pz-stack" data-testid="accepted">
        {made.transfers.length > 0 && (
          <span>
            {t('forecasting.decide.transfersMade', {
              count: made.transfers.length,
              n: f.number(made.transfers.length),
            })}{' '}
            {made.transfers.map((id) => (
              <Link
                key={id}
                className="pz-mono fc-link-gap"
                to={`/inventory/transfers/${id}`}
                data-testid="accepted-transfer"
              >
                {id}
              </Link>
            ))}
          </span>
        )}
        {made.purchase_orders.length > 0 && (
          <span>
            {t('forecasting.decide.ordersMade', {
              count: made.purchase_orders.length,
              n: f.number(made.purchase_orders.length),
            })}{' '}
            {made.purchase_orders.map((id) => (
              <Link
                key={id}
                className="pz-mono fc-link-gap"
                to={`/forecasting/purchase-orders/${id}`}
                data-testid="accepted-order"
              >
                {id}
              </Link>
            ))}
          </span>
        )}
      </div>
    </Alert>
  );
};

/** Accept / Dismiss for the ticked suggestions of one list. */
export const DecisionBar = ({ selection, testId }: { selection: Selection; testId: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const settings = useForecastSettings();
  const [days, setDays] = useState('');
  const [made, setMade] = useState<Accepted | null>(null);
  const ids = [...selection.ids];
  const done = () => {
    selection.clear();
    return qc.invalidateQueries({ queryKey: forecastKeys.all });
  };
  const accept = useMutation({
    mutationFn: () => unwrap(staffApi.POST('/admin/replenishment/suggestions/accept', { body: { ids } })),
    onSuccess: (m) => {
      setMade(m);
      toast(t('forecasting.decide.acceptedToast'), 'success');
      void qc.invalidateQueries({ queryKey: ['inventory'] });
      return done();
    },
  });
  const dismissDays = /^\d+$/.test(days) ? Number(days) : undefined;
  const dismiss = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.POST('/admin/replenishment/suggestions/dismiss', {
          body: { ids, ...(dismissDays ? { days: dismissDays } : {}) },
        }),
      ),
    onSuccess: (d) => {
      setMade(null);
      toast(t('forecasting.decide.dismissedToast', { until: f.day(atNoon(d.until)) }), 'success');
      return done();
    },
  });
  const busy = accept.isPending || dismiss.isPending;
  return (
    <div className="pz-stack">
      <div className="fc-decide" data-testid={testId}>
        <span className="pz-muted" role="status">
          {t('forecasting.decide.selected', { count: ids.length, n: f.number(ids.length) })}
        </span>
        <span className="pz-spacer" />
        <label className="fc-inline-field">
          <span>{t('forecasting.decide.dismissDays')}</span>
          <input
            className="pz-input fc-days"
            inputMode="numeric"
            value={days}
            placeholder={settings.data ? f.number(settings.data.dismiss_days) : ''}
            onChange={(e) => setDays(e.target.value.replace(/\D/g, '').slice(0, 2))}
          />
        </label>
        <Button
          onClick={() => dismiss.mutate()}
          disabled={ids.length === 0}
          busy={dismiss.isPending}
          data-testid={`${testId}-dismiss`}
        >
          {t('forecasting.decide.dismiss')}
        </Button>
        <Button
          variant="primary"
          onClick={() => accept.mutate()}
          disabled={ids.length === 0 || busy}
          busy={accept.isPending}
          data-testid={`${testId}-accept`}
        >
          {t('forecasting.decide.accept')}
        </Button>
      </div>
      {accept.isError && <ProblemAlert error={accept.error} />}
      {dismiss.isError && <ProblemAlert error={dismiss.error} />}
      {made && <AcceptedLinks made={made} />}
    </div>
  );
};
