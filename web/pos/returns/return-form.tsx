/**
 * The return of one order found by the lookup: units per line, their condition (inspected at the
 * counter, or later), where the money goes. The result shows the refund, with a retry when a provider
 * refused it, and the inspection of a return that was not inspected at once.
 */
import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../kit/api.ts';
import { Field } from '../../kit/form.tsx';
import { useFormat } from '../../kit/format.ts';
import { Alert, Badge, Button, Card } from '../../kit/ui.tsx';
import { api, type CreateReturnBody, newKey, type Return, type ReturnableOrder } from '../api.ts';
import { PosProblem } from '../problem.tsx';
import { usePosStore } from '../store.tsx';

type Condition = 'resellable' | 'damaged';

const Result = ({ ret, onDone }: { ret: Return; onDone: () => void }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const [current, setCurrent] = useState(ret);
  const [conditions, setConditions] = useState<Record<string, Condition>>({});
  const refund = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/admin/returns/{id}/refund', { params: { path: { id: current.id } } })),
    onSuccess: setCurrent,
  });
  const receive = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/admin/returns/{id}/receive', {
          params: { path: { id: current.id } },
          body: {
            lines: current.lines.map((l) => ({
              return_line_id: l.id,
              condition: conditions[l.id] ?? 'resellable',
            })),
          },
        }),
      ),
    onSuccess: setCurrent,
  });
  const failed = current.refunds.some((r) => r.status === 'failed');
  const m = (n: number) => f.money(n, current.currency);
  return (
    <Card title={t('returns.done')}>
      <div className="pz-stack" aria-live="polite">
        <p>
          <Badge tone={current.status === 'completed' ? 'success' : 'warning'}>
            {t(`returns.status.${current.status}`)}
          </Badge>{' '}
          {t('returns.refunded', { amount: m(current.refunded_amount), total: m(current.refund_total) })}
        </p>
        <ul className="pos-list">
          {current.refunds.map((r) => (
            <li key={r.id}>
              {t(`returns.methods.${r.method}`, { defaultValue: r.method })}: {m(r.amount)}{' '}
              <Badge tone={r.status === 'failed' ? 'danger' : 'success'}>
                {t(`returns.refundStatus.${r.status}`, { defaultValue: r.status })}
              </Badge>
            </li>
          ))}
        </ul>
        {current.status === 'requested' && (
          <div className="pz-stack">
            <p>{t('returns.inspectNow')}</p>
            {current.lines.map((l) => (
              <label key={l.id} className="pos-select-row">
                <span>
                  {l.sku} × {f.number(l.quantity)}
                </span>
                <select
                  className="pz-select"
                  value={conditions[l.id] ?? 'resellable'}
                  onChange={(e) => setConditions((c) => ({ ...c, [l.id]: e.target.value as Condition }))}
                >
                  <option value="resellable">{t('returns.condition.resellable')}</option>
                  <option value="damaged">{t('returns.condition.damaged')}</option>
                </select>
              </label>
            ))}
            {receive.isError && <PosProblem error={receive.error} />}
            <Button variant="primary" busy={receive.isPending} onClick={() => receive.mutate()}>
              {t('returns.receive')}
            </Button>
          </div>
        )}
        {failed && (
          <>
            <Alert>{t('returns.refundFailed')}</Alert>
            {refund.isError && <PosProblem error={refund.error} />}
            <Button variant="primary" busy={refund.isPending} onClick={() => refund.mutate()}>
              {t('returns.retryRefund')}
            </Button>
          </>
        )}
        <Button onClick={onDone}>{t('returns.next')}</Button>
      </div>
    </Card>
  );
};

export const ReturnForm = ({ order, onDone }: { order: ReturnableOrder; onDone: () => void }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const { location } = usePosStore();
  const [qty, setQty] = useState<Record<string, number>>({});
  const [cond, setCond] = useState<Record<string, Condition>>({});
  const [later, setLater] = useState(false);
  const [method, setMethod] = useState<'original' | 'store_credit'>(order.refund_methods[0] ?? 'original');
  const [reason, setReason] = useState('');
  const key = useRef(newKey());
  const create = useMutation({
    mutationFn: (body: CreateReturnBody) =>
      unwrap(api.POST('/admin/returns', { params: { header: { 'Idempotency-Key': key.current } }, body })),
    onError: () => {
      key.current = newKey();
    },
  });
  if (create.data) return <Result ret={create.data} onDone={onDone} />;
  const chosen = order.lines.filter((l) => (qty[l.order_line_id] ?? 0) > 0);
  const estimate = chosen.reduce((s, l) => s + l.unit_amount * (qty[l.order_line_id] ?? 0), 0);
  const m = (n: number) => f.money(n, order.currency);
  const submit = () =>
    create.mutate({
      order_id: order.order_id,
      location_id: location.id,
      refund_method: method,
      ...(reason.trim() ? { reason: reason.trim() } : {}),
      lines: chosen.map((l) => ({
        order_line_id: l.order_line_id,
        quantity: qty[l.order_line_id] ?? 0,
        ...(later ? {} : { condition: cond[l.order_line_id] ?? 'resellable' }),
      })),
    });
  return (
    <Card title={t('returns.formTitle', { number: order.order_number })}>
      <div className="pz-stack">
        <ul className="pos-list" aria-label={t('returns.lines')}>
          {order.lines.map((l) => {
            const n = qty[l.order_line_id] ?? 0;
            const set = (v: number) => setQty((q) => ({ ...q, [l.order_line_id]: v }));
            return (
              <li key={l.order_line_id} className="pos-item">
                <strong>{l.title}</strong>
                <div className="pz-muted">
                  {l.sku} · {t('returns.returnable', { count: l.returnable_quantity })} ·{' '}
                  {t('returns.unit', { amount: m(l.unit_amount) })}
                </div>
                {l.returnable_quantity > 0 && (
                  <div className="pz-row">
                    <fieldset className="pos-qty" aria-label={t('returns.quantityOf', { title: l.title })}>
                      <Button
                        aria-label={t('sale.decrease', { title: l.title })}
                        disabled={n <= 0}
                        onClick={() => set(n - 1)}
                      >
                        −
                      </Button>
                      <output className="pos-qty-value pz-num">{f.number(n)}</output>
                      <Button
                        aria-label={t('sale.increase', { title: l.title })}
                        disabled={n >= l.returnable_quantity}
                        onClick={() => set(n + 1)}
                      >
                        +
                      </Button>
                    </fieldset>
                    {!later && n > 0 && (
                      <select
                        className="pz-select pos-inline"
                        aria-label={t('returns.conditionOf', { title: l.title })}
                        value={cond[l.order_line_id] ?? 'resellable'}
                        onChange={(e) =>
                          setCond((c) => ({ ...c, [l.order_line_id]: e.target.value as Condition }))
                        }
                      >
                        <option value="resellable">{t('returns.condition.resellable')}</option>
                        <option value="damaged">{t('returns.condition.damaged')}</option>
                      </select>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
        <label className="pos-kind">
          <input type="checkbox" checked={later} onChange={(e) => setLater(e.target.checked)} />
          {t('returns.later')}
        </label>
        <fieldset className="pos-kinds">
          <legend>{t('returns.refundTo')}</legend>
          {order.refund_methods.map((rm) => (
            <label key={rm} className="pos-kind">
              <input
                type="radio"
                name="refund-method"
                checked={method === rm}
                onChange={() => setMethod(rm)}
              />
              {t(`returns.methods.${rm}`)}
            </label>
          ))}
        </fieldset>
        <Field
          label={t('returns.reason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
        />
        {create.isError && <PosProblem error={create.error} />}
        <p className="pos-due">
          {t('returns.estimate')} <strong className="pz-num">{m(estimate)}</strong>
        </p>
        <Button
          variant="primary"
          size="lg"
          disabled={chosen.length === 0}
          busy={create.isPending}
          onClick={submit}
        >
          {later ? t('returns.createLater') : t('returns.create')}
        </Button>
      </div>
    </Card>
  );
};
