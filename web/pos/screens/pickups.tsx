/**
 * Click & collect at this store: the orders ready for pickup, and the handover against the code the
 * customer shows (typed) or their QR code (scanned: it names the order, so no need to choose it first).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../kit/api.ts';
import { useFormat } from '../../kit/format.ts';
import { QueryState } from '../../kit/states.tsx';
import { Alert, Badge, Button, Card, EmptyState } from '../../kit/ui.tsx';
import { api, isCode, keys, newKey, type Pickup, problemNumber, readyPickupsQuery } from '../api.ts';
import { PosProblem } from '../problem.tsx';
import { parsePickupPayload, useScanFocus } from '../scan.ts';
import { usePosStore } from '../store.tsx';

const PickupsScreen = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const { location } = usePosStore();
  const qc = useQueryClient();
  const inputRef = useRef<HTMLInputElement>(null);
  const refocus = useScanFocus(inputRef);
  const [selected, setSelected] = useState<Pickup | null>(null);
  const [code, setCode] = useState('');
  const [hint, setHint] = useState<string | null>(null);
  const [done, setDone] = useState<{ number: number; amount: string } | null>(null);
  const ready = useQuery({ ...readyPickupsQuery(location.id), refetchInterval: 30_000 });
  const handover = useMutation({
    mutationFn: ({ pickup, code: c }: { pickup: Pickup; code: string }) =>
      unwrap(
        api.POST('/admin/orders/{id}/pickup/handover', {
          params: { path: { id: pickup.order_id }, header: { 'Idempotency-Key': newKey() } },
          body: { code: c },
        }),
      ),
    onSuccess: (r) => {
      setDone({ number: r.pickup.order_number, amount: f.money(r.captured_amount, r.pickup.currency) });
      setSelected(null);
      setCode('');
      void qc.invalidateQueries({ queryKey: keys.pickups(location.id) });
    },
    onSettled: refocus,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = code.trim();
    if (!value) return;
    setHint(null);
    setDone(null);
    const qr = parsePickupPayload(value);
    const pickup = qr ? ready.data?.data.find((p) => p.order_number === qr.orderNumber) : selected;
    if (!pickup) {
      setHint(qr ? t('pickups.notReady', { number: qr.orderNumber }) : t('pickups.chooseFirst'));
      refocus();
      return;
    }
    setSelected(pickup);
    handover.mutate({ pickup, code: value });
  };
  const attempts = problemNumber(handover.error, 'attempts_left');
  return (
    <div className="pos-split">
      <section className="pz-stack" aria-labelledby="pos-pickups-title">
        <h1 id="pos-pickups-title">{t('pickups.title')}</h1>
        <QueryState query={ready} lines={5}>
          {(page) =>
            page.data.length === 0 ? (
              <EmptyState title={t('pickups.none')} />
            ) : (
              <ul className="pos-list" aria-label={t('pickups.ready')}>
                {page.data.map((p) => (
                  <li key={p.order_id} className="pos-item" data-selected={selected?.order_id === p.order_id}>
                    <div className="pz-row">
                      <strong>{t('pickups.order', { number: p.order_number })}</strong>
                      {p.email && <span className="pz-muted">{p.email}</span>}
                      <span className="pz-spacer" />
                      <span className="pz-num">{f.money(p.total, p.currency)}</span>
                    </div>
                    <div className="pz-muted">
                      {p.lines.map((l) => `${l.title} × ${f.number(l.remaining)}`).join(', ')}
                    </div>
                    <div className="pz-row">
                      {p.deadline_at && (
                        <Badge>{t('pickups.deadline', { date: f.date(p.deadline_at) })}</Badge>
                      )}
                      <span className="pz-spacer" />
                      <Button
                        variant={selected?.order_id === p.order_id ? 'primary' : 'secondary'}
                        aria-pressed={selected?.order_id === p.order_id}
                        onClick={() => {
                          setSelected(p);
                          setHint(null);
                          handover.reset();
                          refocus();
                        }}
                      >
                        {t('pickups.choose', { number: p.order_number })}
                      </Button>
                    </div>
                  </li>
                ))}
              </ul>
            )
          }
        </QueryState>
      </section>
      <Card title={t('pickups.handover')}>
        <form className="pz-stack" onSubmit={submit}>
          <p className="pz-muted">
            {selected ? t('pickups.forOrder', { number: selected.order_number }) : t('pickups.scanHint')}
          </p>
          <div className="pos-scan">
            <label htmlFor="pos-pickup-code" className="visually-hidden">
              {t('pickups.codeLabel')}
            </label>
            <input
              id="pos-pickup-code"
              ref={inputRef}
              data-testid="pos-pickup-code"
              className="pz-input pos-scan-input"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              placeholder={t('pickups.codeLabel')}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              // biome-ignore lint/a11y/noAutofocus: the customer's code is scanned or typed first
              autoFocus
            />
            <Button type="submit" variant="primary" size="lg" busy={handover.isPending}>
              {t('pickups.handOver')}
            </Button>
          </div>
          {hint && <Alert tone="info">{hint}</Alert>}
          {handover.isError &&
            (isCode(handover.error, 'PICKUP_CODE_INVALID') ? (
              <Alert>{t('pickups.wrongCode', { count: attempts ?? 0 })}</Alert>
            ) : (
              <PosProblem error={handover.error} />
            ))}
          {done && <Alert tone="success">{t('pickups.done', done)}</Alert>}
        </form>
      </Card>
    </div>
  );
};

export default PickupsScreen;
