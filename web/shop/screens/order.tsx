/**
 * One order: lines, totals, status; for a pickup the code and its QR (the QR encoder is its own
 * chunk); cancelling while the payment is not captured. Guests open their order with the
 * `order_token` this device kept from the checkout.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, type components, unwrap } from '../../kit/api.ts';
import { useFormat } from '../../kit/format.ts';
import { ConfirmDialog } from '../../kit/overlay.tsx';
import { QueryState } from '../../kit/states.tsx';
import { Alert, Badge, Button, Card, Skeleton } from '../../kit/ui.tsx';
import { ShopProblem } from '../problem.tsx';
import { orderToken, useShop } from '../session.tsx';
import { StatusBadge } from './status.tsx';

const Qr = lazy(() => import('../../kit/qr.tsx'));

type Order = components['schemas']['Order'];

const CANCELLABLE = new Set<Order['status']>(['pending_payment', 'confirmed', 'ready_for_pickup']);
/** The API cancels until the payment is captured (after that it is a return). */
export const canCancel = (o: Order): boolean =>
  CANCELLABLE.has(o.status) && o.payments.every((p) => p.status !== 'captured' && p.captured_amount === 0);

const orderHeader = (id: string): { 'x-plaza-order-token'?: string } => {
  const token = orderToken(id);
  return token ? { 'x-plaza-order-token': token } : {};
};

const Pickup = ({ order }: { order: Order }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const { api } = useShop();
  const pickup = useQuery({
    queryKey: ['orders', order.id, 'pickup'],
    // The pickup (its code) is opened right after the order by Plaza's outbox, a moment later than
    // the order itself: a 404 just after checkout means "not yet", so it is asked again for a minute.
    retry: (count, err) =>
      err instanceof ApiError && err.status >= 400 && err.status < 500
        ? err.status === 404 && count < 60
        : count < 2,
    retryDelay: 1000,
    queryFn: () =>
      unwrap(
        api.GET('/store/orders/{id}/pickup', {
          params: { path: { id: order.id }, header: orderHeader(order.id) },
        }),
      ),
  });
  const stores = useQuery({
    queryKey: ['catalog', 'pickup-stores-all'],
    queryFn: () => unwrap(api.GET('/store/locations')),
  });
  const store = stores.data?.data.find((l) => l.id === order.pickup_location_id);
  return (
    <Card title={t('orders.pickupTitle')}>
      <QueryState query={pickup} lines={3}>
        {(p) => (
          <div className="pz-stack">
            {store && (
              <p>
                <strong>{store.name}</strong> — {store.address.line1}, {store.address.city}
              </p>
            )}
            <p>
              <Badge tone={p.status === 'ready' ? 'success' : 'neutral'}>
                {t(`orders.pickupStatus.${p.status}`)}
              </Badge>
            </p>
            {p.ready_estimate_at && p.status === 'to_prepare' && (
              <p>{t('orders.readyAt', { at: f.date(p.ready_estimate_at) })}</p>
            )}
            {p.deadline_at && (
              <p className="pz-muted">{t('orders.collectBy', { at: f.date(p.deadline_at) })}</p>
            )}
            <p>{t('orders.showCode')}</p>
            <p>
              <span className="shop-code" data-testid="pickup-code">
                {p.code}
              </span>
            </p>
            <Suspense fallback={<Skeleton lines={4} />}>
              <Qr value={p.qr_payload} label={t('orders.qrLabel', { code: p.code })} className="shop-qr" />
            </Suspense>
          </div>
        )}
      </QueryState>
    </Card>
  );
};

const OrderView = ({ order }: { order: Order }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const { api } = useShop();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const [confirming, setConfirming] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<unknown>();
  const m = (n: number) => f.money(n, order.currency);
  const cancel = async () => {
    setCancelling(true);
    setError(undefined);
    try {
      const next = await unwrap(
        api.POST('/store/orders/{id}/cancel', {
          params: { path: { id: order.id }, header: orderHeader(order.id) },
          body: {},
        }),
      );
      qc.setQueryData(['orders', order.id], next);
      void qc.invalidateQueries({ queryKey: ['orders'] });
      void qc.invalidateQueries({ queryKey: ['cart'] });
    } catch (e) {
      setError(e);
    } finally {
      setCancelling(false);
      setConfirming(false);
    }
  };
  const address = order.shipping_address;
  return (
    <div className="pz-stack">
      {params.get('placed') && order.status !== 'cancelled' && (
        <Alert tone="success">{t('orders.placed', { number: order.number })}</Alert>
      )}
      <div className="pz-row">
        <h1 style={{ margin: 0 }}>{t('orders.number', { number: order.number })}</h1>
        <StatusBadge status={order.status} />
        <span className="pz-spacer" />
        <span className="pz-muted">{f.date(order.placed_at)}</span>
      </div>
      {error !== undefined && <ShopProblem error={error} />}
      <div className="shop-two">
        <div className="pz-stack">
          {order.fulfillment_type === 'pickup' && order.status !== 'cancelled' && <Pickup order={order} />}
          {order.fulfillment_type !== 'pickup' && address && (
            <Card title={t('orders.deliveryTo')}>
              <address>
                {['name', 'line1', 'line2', 'city', 'region', 'postal_code', 'country']
                  .map((k) => address[k])
                  .filter((v): v is string => typeof v === 'string' && v !== '')
                  .join(', ')}
              </address>
            </Card>
          )}
          {canCancel(order) && (
            <div>
              <Button variant="danger" onClick={() => setConfirming(true)}>
                {t('orders.cancel')}
              </Button>
            </div>
          )}
        </div>
        <Card title={t('orders.items')}>
          <ul className="shop-list">
            {order.lines.map((l) => (
              <li key={l.id}>
                <div className="shop-item">
                  <span>{l.title}</span>
                  <span className="pz-muted">× {f.number(l.quantity)}</span>
                  <span className="pz-spacer" />
                  <span className="shop-price">{m(l.total)}</span>
                </div>
              </li>
            ))}
          </ul>
          <dl className="shop-totals">
            <dt>{t('cart.subtotal')}</dt>
            <dd>{m(order.subtotal)}</dd>
            {order.discount_total > 0 && (
              <>
                <dt>{t('cart.discount')}</dt>
                <dd>−{m(order.discount_total)}</dd>
              </>
            )}
            <dt>{t('cart.shipping')}</dt>
            <dd>{m(order.shipping_total)}</dd>
            <dt>{t('cart.tax')}</dt>
            <dd>{m(order.tax_total)}</dd>
            <dt className="shop-total">{t('cart.total')}</dt>
            <dd className="shop-total">{m(order.total)}</dd>
          </dl>
          {order.payments.map((p) => (
            <p key={p.id} className="pz-muted">
              {p.display ?? p.provider} · {t(`orders.payment.${p.status}`, { defaultValue: p.status })}
            </p>
          ))}
        </Card>
      </div>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={t('orders.cancelTitle', { number: order.number })}
        description={t('orders.cancelText')}
        confirmLabel={t('orders.cancelConfirm')}
        onConfirm={() => void cancel()}
        busy={cancelling}
      />
    </div>
  );
};

const OrderScreen = () => {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { api, loggedIn } = useShop();
  const order = useQuery({
    queryKey: ['orders', id],
    queryFn: () =>
      unwrap(api.GET('/store/orders/{id}', { params: { path: { id }, header: orderHeader(id) } })),
  });
  return (
    <>
      <p>
        <Link to={loggedIn ? '/account/orders' : '/'}>
          {loggedIn ? t('orders.back') : t('checkout.backToShop')}
        </Link>
      </p>
      <QueryState query={order} lines={8}>
        {(o) => <OrderView order={o} />}
      </QueryState>
    </>
  );
};

export default OrderScreen;
