/** One order: header and actions (cancel, return and refund), lines, payments, fulfilments, returns, timeline. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { ConfirmDialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import { StatusBadge, useLocationName } from '../inventory/common.tsx';
import { CreateReturnDialog, returnableOf } from '../returns/create-dialog.tsx';
import { useChannelName } from './channels.ts';
import { FulfillmentsCard, LinesCard, type Order, PaymentsCard, TimelineCard } from './parts.tsx';

const CANCELLABLE = new Set(['pending_payment', 'confirmed', 'ready_for_pickup']);

const OrderReturns = ({ orderId }: { orderId: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const q = useQuery({
    queryKey: ['returns', 'of-order', orderId],
    queryFn: () =>
      unwrap(staffApi.GET('/admin/returns', { params: { query: { order_id: orderId, limit: 50 } } })),
  });
  if (q.isError || !q.data || q.data.data.length === 0) return null;
  return (
    <Card title={t('orders.detail.returns')}>
      <ul className="pz-stack">
        {q.data.data.map((r) => (
          <li key={r.id} className="pz-row">
            <Link to={`/returns/${r.id}`} className="pz-mono">
              {r.id}
            </Link>
            <StatusBadge status={r.status} />
            <span className="pz-num">{f.money(r.total, r.currency)}</span>
            <span className="pz-muted">{f.date(r.created_at)}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
};

const Header = ({ order, onChanged }: { order: Order; onChanged: (o: Order) => void }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const channelName = useChannelName();
  const locationName = useLocationName();
  const [confirm, setConfirm] = useState(false);
  const [returning, setReturning] = useState(false);
  const cancel = useMutation({
    mutationFn: () =>
      unwrap(staffApi.POST('/admin/orders/{id}/cancel', { params: { path: { id: order.id } }, body: {} })),
    onSuccess: (o) => {
      onChanged(o);
      setConfirm(false);
      void qc.invalidateQueries({ queryKey: ['orders', 'list'] });
      toast(t('orders.detail.cancelled', { number: o.number }), 'success');
    },
    onError: () => setConfirm(false),
  });
  const canReturn = order.lines.some((l) => returnableOf(l) > 0);
  return (
    <>
      <div className="pz-row">
        <h1>{t('orders.detail.title', { number: order.number })}</h1>
        <StatusBadge status={order.status} />
        <StatusBadge status={order.payment_status} />
        <span className="pz-spacer" />
        {canReturn && (
          <Button variant="primary" onClick={() => setReturning(true)}>
            {t('orders.detail.returnRefund')}
          </Button>
        )}
        {CANCELLABLE.has(order.status) && (
          <Button variant="danger" onClick={() => setConfirm(true)}>
            {t('orders.detail.cancel')}
          </Button>
        )}
      </div>
      <p className="pz-muted">
        {[f.date(order.placed_at), channelName(order.channel_id), order.email ?? t('orders.noEmail')]
          .filter(Boolean)
          .join(' · ')}
        {order.fulfillment_type === 'pickup' &&
          ` · ${t('orders.pickupAt', { store: locationName(order.pickup_location_id) })}`}
        {order.cancel_reason && ` · ${t('orders.detail.cancelReason', { reason: order.cancel_reason })}`}
      </p>
      {order.fulfillment_type === 'pickup' && order.pickup_location_id && (
        <Link to={`/pickups?location=${order.pickup_location_id}`}>{t('orders.detail.toQueue')}</Link>
      )}
      {cancel.isError && <ProblemAlert error={cancel.error} />}
      <ConfirmDialog
        open={confirm}
        onOpenChange={setConfirm}
        title={t('orders.detail.cancelTitle', { number: order.number })}
        description={t('orders.detail.cancelText')}
        confirmLabel={t('orders.detail.cancel')}
        busy={cancel.isPending}
        onConfirm={() => cancel.mutate()}
      />
      {returning && (
        <CreateReturnDialog
          order={order}
          onClose={() => setReturning(false)}
          onCreated={(id) => navigate(`/returns/${id}`)}
        />
      )}
    </>
  );
};

const OrderPage = () => {
  const { t } = useTranslation();
  const id = useParams().id ?? '';
  const qc = useQueryClient();
  const key = ['orders', 'one', id];
  const query = useQuery({
    queryKey: key,
    queryFn: () => unwrap(staffApi.GET('/admin/orders/{id}', { params: { path: { id } } })),
  });
  // The actions answer the order without its timeline: keep the new state, then read the timeline again.
  const changed = (o: Order) => {
    qc.setQueryData(key, (old: Order | undefined) => ({ ...o, timeline: old?.timeline ?? [] }));
    void qc.invalidateQueries({ queryKey: key });
  };
  return (
    <div className="pz-stack">
      <Link to="/orders">← {t('orders.detail.back')}</Link>
      <QueryState query={query} lines={8}>
        {(order) => (
          <>
            <Header order={order} onChanged={changed} />
            <LinesCard order={order} />
            <div className="pz-grid">
              <PaymentsCard order={order} />
              <FulfillmentsCard order={order} onChanged={changed} />
            </div>
            <OrderReturns orderId={order.id} />
            <TimelineCard order={order} />
          </>
        )}
      </QueryState>
    </div>
  );
};

export default OrderPage;
