/** Parts of the order page: lines and totals, payments, fulfilments (ship, deliver), timeline. */
import type { components } from '@plaza/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import { StatusBadge, useLocationName } from '../inventory/common.tsx';

export type Order = components['schemas']['Order'];

export const LinesCard = ({ order }: { order: Order }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const m = (n: number) => f.money(n, order.currency);
  return (
    <Card title={t('orders.detail.lines')}>
      <div className="pz-table-wrap">
        <table className="pz-table">
          <caption className="visually-hidden">{t('orders.detail.lines')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('orders.detail.item')}</th>
              <th scope="col">{t('inventory.fields.sku')}</th>
              <th scope="col">{t('orders.detail.qty')}</th>
              <th scope="col">{t('orders.detail.unit')}</th>
              <th scope="col">{t('orders.detail.fulfilled')}</th>
              <th scope="col">{t('orders.detail.returned')}</th>
              <th scope="col">{t('orders.cols.total')}</th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((l) => (
              <tr key={l.id}>
                <td>{l.title}</td>
                <td className="pz-mono">{l.sku}</td>
                <td className="pz-num">{f.number(l.quantity)}</td>
                <td className="pz-num">{m(l.unit_price)}</td>
                <td className="pz-num">{f.number(l.fulfilled_quantity)}</td>
                <td className="pz-num">{f.number(l.returned_quantity)}</td>
                <td className="pz-num">{m(l.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="pz-grid">
        <div>
          <dt className="pz-muted">{t('orders.detail.subtotal')}</dt>
          <dd className="pz-num">{m(order.subtotal)}</dd>
        </div>
        <div>
          <dt className="pz-muted">{t('orders.detail.discount')}</dt>
          <dd className="pz-num">
            {m(order.discount_total)} {order.discount_code && <code>{order.discount_code}</code>}
          </dd>
        </div>
        <div>
          <dt className="pz-muted">{t('orders.detail.shipping')}</dt>
          <dd className="pz-num">{m(order.shipping_total)}</dd>
        </div>
        <div>
          <dt className="pz-muted">
            {order.prices_include_tax ? t('orders.detail.taxIncluded') : t('orders.detail.tax')}
          </dt>
          <dd className="pz-num">{m(order.tax_total)}</dd>
        </div>
        <div>
          <dt className="pz-muted">{t('orders.cols.total')}</dt>
          <dd className="pz-num">
            <strong>{m(order.total)}</strong>
          </dd>
        </div>
      </dl>
    </Card>
  );
};

export const PaymentsCard = ({ order }: { order: Order }) => {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Card title={t('orders.detail.payments')}>
      {order.payments.length === 0 ? (
        <p className="pz-muted">{t('orders.detail.noPayments')}</p>
      ) : (
        <ul className="pz-stack">
          {order.payments.map((p) => (
            <li key={p.id} className="pz-row">
              <strong>{t(`orders.providers.${p.provider}`, { defaultValue: p.provider })}</strong>
              {p.display && <span className="pz-mono">{p.display}</span>}
              <StatusBadge status={p.status} />
              <span className="pz-num">{f.money(p.amount, p.currency)}</span>
              <span className="pz-muted">
                {t('orders.detail.captured', { amount: f.money(p.captured_amount, p.currency) })}
                {p.refunded_amount > 0 &&
                  ` · ${t('orders.detail.refunded', { amount: f.money(p.refunded_amount, p.currency) })}`}
              </span>
              {p.failure_reason && <span className="pz-error">{p.failure_reason}</span>}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
};

export const FulfillmentsCard = ({ order, onChanged }: { order: Order; onChanged: (o: Order) => void }) => {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const name = useLocationName();
  const [tracking, setTracking] = useState<Record<string, string>>({});
  const act = useMutation({
    mutationFn: ({ fid, step }: { fid: string; step: 'ship' | 'deliver' }) => {
      const path = { id: order.id, fulfillmentId: fid };
      if (step === 'deliver')
        return unwrap(
          staffApi.POST('/admin/orders/{id}/fulfillments/{fulfillmentId}/deliver', { params: { path } }),
        );
      const tn = tracking[fid]?.trim();
      return unwrap(
        staffApi.POST('/admin/orders/{id}/fulfillments/{fulfillmentId}/ship', {
          params: { path },
          body: tn ? { tracking_number: tn } : {},
        }),
      );
    },
    onSuccess: (o, v) => {
      onChanged(o);
      void qc.invalidateQueries({ queryKey: ['orders', 'list'] });
      toast(t(`orders.detail.${v.step === 'ship' ? 'shippedDone' : 'deliveredDone'}`), 'success');
    },
  });
  return (
    <Card title={t('orders.detail.fulfillments')}>
      {act.isError && <ProblemAlert error={act.error} />}
      {order.fulfillments.length === 0 && <p className="pz-muted">{t('orders.detail.noFulfillments')}</p>}
      <ul className="pz-stack">
        {order.fulfillments.map((fl) => {
          const canShip = fl.type === 'shipping' && fl.status === 'pending';
          return (
            <li key={fl.id} className="pz-stack">
              <div className="pz-row">
                <strong>{t(`orders.fulfillmentTypes.${fl.type}`, { defaultValue: fl.type })}</strong>
                <StatusBadge status={fl.status} />
                <span>{name(fl.location_id)}</span>
                {fl.source_location_id && (
                  <span className="pz-muted">
                    {t('orders.detail.from', { location: name(fl.source_location_id) })}
                  </span>
                )}
                {fl.tracking_number && <code>{fl.tracking_number}</code>}
              </div>
              <span className="pz-muted">{fl.lines.map((l) => `${l.quantity} × ${l.sku}`).join(' · ')}</span>
              {canShip && (
                <div className="pz-row">
                  <div className="pz-field">
                    <label htmlFor={`tn-${fl.id}`}>{t('orders.detail.tracking')}</label>
                    <input
                      id={`tn-${fl.id}`}
                      className="pz-input"
                      value={tracking[fl.id] ?? ''}
                      onChange={(e) => setTracking((s) => ({ ...s, [fl.id]: e.target.value }))}
                    />
                  </div>
                  <Button
                    variant="primary"
                    busy={act.isPending && act.variables?.fid === fl.id}
                    onClick={() => act.mutate({ fid: fl.id, step: 'ship' })}
                  >
                    {t('orders.detail.ship')}
                  </Button>
                </div>
              )}
              {fl.type === 'shipping' && fl.status === 'shipped' && (
                <div>
                  <Button
                    busy={act.isPending && act.variables?.fid === fl.id}
                    onClick={() => act.mutate({ fid: fl.id, step: 'deliver' })}
                  >
                    {t('orders.detail.deliver')}
                  </Button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </Card>
  );
};

export const TimelineCard = ({ order }: { order: Order }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const items = order.timeline ?? [];
  return (
    <Card title={t('orders.detail.timeline')}>
      {items.length === 0 ? (
        <p className="pz-muted">{t('orders.detail.noTimeline')}</p>
      ) : (
        <ol className="pz-stack">
          {items.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: timeline entries have no id; their order is fixed
            <li key={i}>
              <span className="pz-muted">{f.date(e.at)}</span>{' '}
              {e.kind === 'transition' ? (
                <span>
                  {t(`orders.machines.${e.machine ?? 'order'}`, { defaultValue: e.machine ?? '' })}:{' '}
                  {e.from ? `${t(`inventory.common.status.${e.from}`, { defaultValue: e.from })} → ` : ''}
                  <strong>{t(`inventory.common.status.${e.to ?? ''}`, { defaultValue: e.to ?? '' })}</strong>
                  {e.reason && <span className="pz-muted"> ({e.reason})</span>}
                </span>
              ) : (
                <code>{e.type}</code>
              )}
              {e.actor && <span className="pz-muted"> · {e.actor}</span>}
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
};
