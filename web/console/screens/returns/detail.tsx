/** One return: its lines and refunds; receive (inspect each line), retry a failed refund, cancel. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { ConfirmDialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import { StatusBadge, useLocationName } from '../inventory/common.tsx';

type Condition = 'resellable' | 'damaged';

const ReturnPage = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const name = useLocationName();
  const id = useParams().id ?? '';
  const [conditions, setConditions] = useState<Record<string, Condition>>({});
  const [confirmCancel, setConfirmCancel] = useState(false);
  const key = ['returns', 'one', id];
  const query = useQuery({
    queryKey: key,
    queryFn: () => unwrap(staffApi.GET('/admin/returns/{id}', { params: { path: { id } } })),
  });
  const act = useMutation({
    mutationFn: (step: 'receive' | 'refund' | 'cancel') => {
      const params = { params: { path: { id } } };
      if (step === 'refund') return unwrap(staffApi.POST('/admin/returns/{id}/refund', params));
      if (step === 'cancel') return unwrap(staffApi.POST('/admin/returns/{id}/cancel', params));
      const lines = (query.data?.lines ?? []).map((l) => ({
        return_line_id: l.id,
        condition: conditions[l.id] ?? 'resellable',
      }));
      return unwrap(staffApi.POST('/admin/returns/{id}/receive', { ...params, body: { lines } }));
    },
    onSuccess: (r, step) => {
      qc.setQueryData(key, r);
      setConfirmCancel(false);
      void qc.invalidateQueries({ queryKey: ['returns', 'list'] });
      void qc.invalidateQueries({ queryKey: ['orders'] });
      toast(t(`returns.done.${step}`), 'success');
    },
    onError: () => setConfirmCancel(false),
  });
  return (
    <div className="pz-stack">
      <Link to="/returns">← {t('returns.back')}</Link>
      <QueryState query={query} lines={6}>
        {(r) => {
          const m = (n: number) => f.money(n, r.currency);
          const failed = r.refunds.some((x) => x.status === 'failed');
          const owed = r.status === 'received' && r.refunded_amount < r.refund_total;
          return (
            <>
              <div className="pz-row">
                <h1>{t('returns.detail.title')}</h1>
                <StatusBadge status={r.status} />
              </div>
              <p className="pz-muted">
                <span className="pz-mono">{r.id}</span> · {f.date(r.created_at)} · {name(r.location_id)} ·{' '}
                <Link to={`/orders/${r.order_id}`}>{t('returns.detail.order')}</Link>
                {r.reason && ` · ${r.reason}`}
              </p>
              {act.isError && <ProblemAlert error={act.error} />}
              <Card title={t('returns.detail.lines')}>
                <div className="pz-table-wrap">
                  <table className="pz-table">
                    <caption className="visually-hidden">{t('returns.detail.lines')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('inventory.fields.sku')}</th>
                        <th scope="col">{t('inventory.lines.quantity')}</th>
                        <th scope="col">{t('returns.fields.total')}</th>
                        <th scope="col">{t('returns.fields.condition')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.lines.map((l) => (
                        <tr key={l.id}>
                          <td className="pz-mono">{l.sku}</td>
                          <td className="pz-num">{f.number(l.quantity)}</td>
                          <td className="pz-num">{m(l.amount)}</td>
                          <td>
                            {r.status === 'requested' ? (
                              <select
                                className="pz-select"
                                aria-label={t('returns.detail.conditionOf', { sku: l.sku })}
                                value={conditions[l.id] ?? 'resellable'}
                                onChange={(e) =>
                                  setConditions((c) => ({
                                    ...c,
                                    [l.id]: e.target.value === 'damaged' ? 'damaged' : 'resellable',
                                  }))
                                }
                              >
                                <option value="resellable">{t('returns.conditions.resellable')}</option>
                                <option value="damaged">{t('returns.conditions.damaged')}</option>
                              </select>
                            ) : l.condition ? (
                              t(`returns.conditions.${l.condition}`, { defaultValue: l.condition })
                            ) : (
                              '—'
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <dl className="pz-grid">
                  <div>
                    <dt className="pz-muted">{t('returns.fields.total')}</dt>
                    <dd className="pz-num">{m(r.total)}</dd>
                  </div>
                  {r.exchange_total > 0 && (
                    <div>
                      <dt className="pz-muted">{t('returns.detail.exchange')}</dt>
                      <dd className="pz-num">{m(r.exchange_total)}</dd>
                    </div>
                  )}
                  <div>
                    <dt className="pz-muted">
                      {t('returns.detail.refund', {
                        method: t(`returns.methods.${r.refund_method}`, { defaultValue: r.refund_method }),
                      })}
                    </dt>
                    <dd className="pz-num">
                      {m(r.refunded_amount)} / {m(r.refund_total)}
                    </dd>
                  </div>
                </dl>
              </Card>
              {r.refunds.length > 0 && (
                <Card title={t('returns.detail.refunds')}>
                  <ul className="pz-stack">
                    {r.refunds.map((x) => (
                      <li key={x.id} className="pz-row">
                        <span>{t(`returns.methods.${x.method}`, { defaultValue: x.method })}</span>
                        <StatusBadge status={x.status} />
                        <span className="pz-num">{m(x.amount)}</span>
                        {x.failure_reason && <span className="pz-error">{x.failure_reason}</span>}
                      </li>
                    ))}
                  </ul>
                </Card>
              )}
              <div className="pz-row">
                {r.status === 'requested' && (
                  <>
                    <Button variant="primary" busy={act.isPending} onClick={() => act.mutate('receive')}>
                      {t('returns.detail.receive')}
                    </Button>
                    <Button variant="danger" onClick={() => setConfirmCancel(true)}>
                      {t('returns.detail.cancel')}
                    </Button>
                  </>
                )}
                {(failed || owed) && (
                  <Button variant="primary" busy={act.isPending} onClick={() => act.mutate('refund')}>
                    {t('returns.detail.refundNow')}
                  </Button>
                )}
              </div>
            </>
          );
        }}
      </QueryState>
      <ConfirmDialog
        open={confirmCancel}
        onOpenChange={setConfirmCancel}
        title={t('returns.detail.cancelTitle')}
        description={t('returns.detail.cancelText')}
        confirmLabel={t('returns.detail.cancel')}
        busy={act.isPending}
        onConfirm={() => act.mutate('cancel')}
      />
    </div>
  );
};

export default ReturnPage;
