/**
 * A return (and its refund) from an order: which units, where they come back, inspected now
 * (resellable / damaged) or received later (by mail), refunded to the original payment or as store credit.
 */
import type { components } from '@plaza/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { Dialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { Button, ProblemAlert } from '../../../kit/ui.tsx';
import { LocationSelect, Select } from '../inventory/common.tsx';

type Order = components['schemas']['Order'];
type Condition = 'resellable' | 'damaged' | 'later';

export const returnableOf = (l: Order['lines'][number]) =>
  Math.max(0, l.fulfilled_quantity - l.returned_quantity);

export const CreateReturnDialog = ({
  order,
  onClose,
  onCreated,
}: {
  order: Order;
  onClose: () => void;
  onCreated: (returnId: string) => void;
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const [location, setLocation] = useState(order.pickup_location_id ?? order.selling_location_id ?? '');
  const [qty, setQty] = useState<Record<string, string>>({});
  const [condition, setCondition] = useState<Condition>('resellable');
  const [method, setMethod] = useState<'original' | 'store_credit'>('original');
  const [reason, setReason] = useState('');
  const [key] = useState(() => crypto.randomUUID());
  const [invalid, setInvalid] = useState(false);
  const lines = order.lines
    .map((l) => ({ line: l, quantity: Number(qty[l.id] ?? 0) }))
    .filter((x) => Number.isInteger(x.quantity) && x.quantity > 0);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.POST('/admin/returns', {
          params: { header: { 'Idempotency-Key': key } },
          body: {
            order_id: order.id,
            location_id: location,
            refund_method: method,
            ...(reason.trim() ? { reason: reason.trim() } : {}),
            lines: lines.map((x) => ({
              order_line_id: x.line.id,
              quantity: x.quantity,
              ...(condition === 'later' ? {} : { condition }),
            })),
          },
        }),
      ),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['orders'] });
      void qc.invalidateQueries({ queryKey: ['returns'] });
      onCreated(r.id);
    },
  });
  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={t('returns.create.title', { number: order.number })}
    >
      <form
        className="pz-stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const ok = lines.length > 0 && location !== '';
          setInvalid(!ok);
          if (ok) create.mutate();
        }}
      >
        <fieldset className="pz-stack">
          <legend>{t('returns.create.units')}</legend>
          {order.lines.map((l) => {
            const max = returnableOf(l);
            return (
              <div key={l.id} className="pz-row">
                <div className="pz-field">
                  <label htmlFor={`rq-${l.id}`}>
                    {l.title} <span className="pz-mono pz-muted">{l.sku}</span>
                  </label>
                  <input
                    id={`rq-${l.id}`}
                    className="pz-input"
                    type="number"
                    min={0}
                    max={max}
                    disabled={max === 0}
                    value={qty[l.id] ?? ''}
                    onChange={(e) => setQty((s) => ({ ...s, [l.id]: e.target.value }))}
                    aria-describedby={`rq-${l.id}-hint`}
                  />
                  <span id={`rq-${l.id}-hint`} className="pz-hint">
                    {t('returns.create.returnable', {
                      count: max,
                      n: f.number(max),
                      amount: f.money(l.unit_price, order.currency),
                    })}
                  </span>
                </div>
              </div>
            );
          })}
        </fieldset>
        <LocationSelect
          label={t('returns.fields.location')}
          value={location}
          onChange={setLocation}
          allLabel={t('inventory.common.choose')}
        />
        <Select
          label={t('returns.fields.condition')}
          value={condition}
          onChange={(v) => setCondition(v === 'damaged' ? 'damaged' : v === 'later' ? 'later' : 'resellable')}
          options={(['resellable', 'damaged', 'later'] as const).map((c) => ({
            value: c,
            label: t(`returns.conditions.${c}`),
          }))}
        />
        <Select
          label={t('returns.fields.refundMethod')}
          value={method}
          onChange={(v) => setMethod(v === 'store_credit' ? 'store_credit' : 'original')}
          options={[
            { value: 'original', label: t('returns.methods.original') },
            ...(order.customer_id
              ? [{ value: 'store_credit', label: t('returns.methods.store_credit') }]
              : []),
          ]}
        />
        <div className="pz-field">
          <label htmlFor="ret-reason">{t('returns.fields.reason')}</label>
          <input
            id="ret-reason"
            className="pz-input"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        {invalid && (
          <span className="pz-error" role="alert">
            {t('returns.create.invalid')}
          </span>
        )}
        {create.isError && <ProblemAlert error={create.error} />}
        <div className="pz-row">
          <span className="pz-spacer" />
          <Button onClick={onClose}>{t('inventory.common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={create.isPending}>
            {t('returns.create.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
};
