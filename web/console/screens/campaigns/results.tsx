/** Progress and results per variant and medium, from the campaign's rollups (never a scan of its sends). */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { Button, Card, EmptyState } from '../../../kit/ui.tsx';
import { type Campaign, campaignKeys, LIVE, METRICS, type StatRow, sumBy } from './data.ts';

const COLUMNS = ['planned', 'sent', 'delivered', 'opened', 'clicked', 'converted', 'redeemed'] as const;

/** Sends and their first deliveries land for a while after the last batch: poll for two minutes more. */
const SETTLING_MS = 120_000;
const stillMoving = (c: Campaign): boolean =>
  LIVE.includes(c.status) ||
  (c.completed_at !== null && Date.now() - Date.parse(c.completed_at) < SETTLING_MS);

export const Results = ({ c }: { c: Campaign }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const [params, setParams] = useSearchParams();
  const query = useQuery({
    // The status is part of the key: a campaign that finishes between two polls is read once more
    // as finished, whatever the timers did.
    queryKey: [...campaignKeys.stats(c.id), c.status],
    queryFn: () => unwrap(staffApi.GET('/admin/campaigns/{id}/stats', { params: { path: { id: c.id } } })),
    refetchInterval: stillMoving(c) ? 2000 : false,
  });
  const showReason = (reason: string) => {
    const next = new URLSearchParams(params);
    next.set('reason', reason);
    setParams(next, { replace: true });
    document.getElementById('why-not-sent')?.scrollIntoView();
  };
  return (
    <Card title={t('campaigns.results.title')}>
      <QueryState query={query}>
        {(d) => {
          const rows: StatRow[] = d.rows;
          if (rows.length === 0) return <EmptyState title={t('campaigns.results.nothing')} />;
          const totals = new Map(Object.entries(d.totals));
          const group = (r: StatRow) => `${r.variant ?? ''}\u0000${r.medium}`;
          const cells = sumBy(rows, (r) => `${group(r)}\u0000${r.metric}`);
          const groups = [...new Set(rows.map(group))].sort();
          const skipped = Object.entries(d.skip_reasons)
            .filter(([, n]) => n > 0)
            .sort((a, b) => b[1] - a[1]);
          const skippedOf = (g: string) =>
            rows
              .filter((r) => group(r) === g && r.metric.startsWith('skipped:'))
              .reduce((s, r) => s + r.n, 0);
          return (
            <div className="pz-stack">
              <ul className="cm-totals" aria-label={t('campaigns.results.totals')}>
                {METRICS.filter((m) => (totals.get(m) ?? 0) > 0 || m === 'sent').map((m) => (
                  <li key={m} data-testid={`campaign-total-${m}`} data-n={totals.get(m) ?? 0}>
                    <span className="cm-count">{f.number(totals.get(m) ?? 0)}</span>
                    <span className="pz-muted">{t(`campaigns.metrics.${m}`)}</span>
                  </li>
                ))}
              </ul>
              <div className="pz-table-wrap">
                <table className="pz-table" data-testid="campaign-results">
                  <caption className="visually-hidden">{t('campaigns.results.title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('campaigns.results.variant')}</th>
                      <th scope="col">{t('campaigns.results.medium')}</th>
                      {COLUMNS.map((m) => (
                        <th key={m} scope="col">
                          {t(`campaigns.metrics.${m}`)}
                        </th>
                      ))}
                      <th scope="col">{t('campaigns.metrics.skipped')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {groups.map((g) => {
                      const [variant = '', medium = ''] = g.split('\u0000');
                      return (
                        <tr key={g} data-testid="campaign-result-row">
                          <td>{variant ? variant.toUpperCase() : t('campaigns.results.noVariant')}</td>
                          <td>{t(`campaigns.media.${medium}`, { defaultValue: medium })}</td>
                          {COLUMNS.map((m) => (
                            <td key={m} className="pz-num">
                              {f.number(cells.get(`${g}\u0000${m}`) ?? 0)}
                            </td>
                          ))}
                          <td className="pz-num">{f.number(skippedOf(g))}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              {skipped.length > 0 && (
                <section aria-labelledby="skipped-h" className="pz-stack">
                  <h3 id="skipped-h">{t('campaigns.results.skipped')}</h3>
                  <ul className="cm-reasons">
                    {skipped.map(([reason, n]) => (
                      <li
                        key={reason}
                        className="pz-row"
                        data-testid="campaign-skip-reason"
                        data-reason={reason}
                      >
                        <span className="pz-num">{f.number(n)}</span>
                        <span>{t(`campaigns.reasons.${reason}`, { defaultValue: reason })}</span>
                        <Button variant="ghost" onClick={() => showReason(reason)}>
                          {t('campaigns.results.who')}
                        </Button>
                      </li>
                    ))}
                  </ul>
                </section>
              )}
            </div>
          );
        }}
      </QueryState>
    </Card>
  );
};
