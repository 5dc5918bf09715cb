/**
 * Returns at the counter: find the order by its receipt (scanned or typed), order number, or the
 * customer's phone, e-mail or loyalty card, then return units of it here and refund.
 */
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../kit/api.ts';
import { useFormat } from '../../kit/format.ts';
import { Badge, Button, Card, EmptyState } from '../../kit/ui.tsx';
import { api, type LookupBody, type ReturnableOrder } from '../api.ts';
import { PosProblem } from '../problem.tsx';
import { ReturnForm } from '../returns/return-form.tsx';
import { useScanFocus } from '../scan.ts';
import { usePosStore } from '../store.tsx';

type Kind = 'receipt' | 'phone' | 'email' | 'card';
const KINDS: Kind[] = ['receipt', 'phone', 'email', 'card'];

const guess = (v: string): Kind => {
  const s = v.trim();
  if (s.includes('@')) return 'email';
  if (/^ord_/i.test(s) || /^\d{1,9}$/.test(s)) return 'receipt';
  if (/^[+\d\s().-]+$/.test(s)) return 'phone';
  return 'card';
};

const lookupBody = (kind: Kind, value: string, locationId: string): LookupBody => {
  switch (kind) {
    case 'receipt':
      return { receipt: value };
    case 'phone':
      return { phone: value, location_id: locationId };
    case 'email':
      return { email: value };
    case 'card':
      return { card: value };
  }
};

const Orders = ({ orders, onPick }: { orders: ReturnableOrder[]; onPick: (o: ReturnableOrder) => void }) => {
  const { t } = useTranslation();
  const f = useFormat();
  if (orders.length === 0) return <EmptyState title={t('returns.noneFound')} />;
  return (
    <ul className="pos-list" aria-label={t('returns.orders')}>
      {orders.map((o) => (
        <li key={o.order_id} className="pos-item">
          <div className="pz-row">
            <strong>{t('returns.order', { number: o.order_number })}</strong>
            <span className="pz-muted">
              {o.channel.name} · {f.date(o.placed_at)}
            </span>
            <span className="pz-spacer" />
            <strong className="pz-num">{f.money(o.total, o.currency)}</strong>
          </div>
          <div className="pz-muted">
            {o.lines.map((l) => `${l.title} × ${f.number(l.quantity)}`).join(', ')}
          </div>
          <div className="pz-row">
            {o.returnable ? (
              <Badge tone="success">
                {t('returns.windowOpen', { date: f.day(o.return_window.ends_at) })}
              </Badge>
            ) : (
              <Badge tone="danger">
                {o.return_window.open ? t('returns.nothingLeft') : t('returns.windowClosed')}
              </Badge>
            )}
            <span className="pz-spacer" />
            <Button variant="primary" disabled={!o.returnable} onClick={() => onPick(o)}>
              {t('returns.start')}
            </Button>
          </div>
        </li>
      ))}
    </ul>
  );
};

const ReturnsScreen = () => {
  const { t } = useTranslation();
  const { location } = usePosStore();
  const inputRef = useRef<HTMLInputElement>(null);
  const refocus = useScanFocus(inputRef);
  const [text, setText] = useState('');
  const [kind, setKind] = useState<Kind>('receipt');
  const [touched, setTouched] = useState(false);
  const [picked, setPicked] = useState<ReturnableOrder | null>(null);
  const lookup = useMutation({
    mutationFn: (body: LookupBody) =>
      unwrap(api.POST('/admin/returns/lookup', { body: { ...body, limit: 20 } })),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!value) return;
    const k = touched ? kind : guess(value);
    setKind(k);
    setPicked(null);
    lookup.mutate(lookupBody(k, value, location.id));
  };
  return (
    <div className="pos-split">
      <section className="pz-stack" aria-labelledby="pos-returns-title">
        <h1 id="pos-returns-title">{t('returns.title')}</h1>
        <Card>
          <form className="pz-stack" onSubmit={submit}>
            <fieldset className="pos-kinds">
              <legend>{t('returns.findBy')}</legend>
              {KINDS.map((k) => (
                <label key={k} className="pos-kind">
                  <input
                    type="radio"
                    name="return-kind"
                    checked={kind === k}
                    onChange={() => {
                      setKind(k);
                      setTouched(true);
                    }}
                  />
                  {t(`returns.kind.${k}`)}
                </label>
              ))}
            </fieldset>
            <div className="pos-scan">
              <label htmlFor="pos-return-q" className="visually-hidden">
                {t('returns.searchLabel')}
              </label>
              <input
                id="pos-return-q"
                ref={inputRef}
                className="pz-input pos-scan-input"
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  if (!touched && e.target.value.trim()) setKind(guess(e.target.value));
                }}
                placeholder={t('returns.searchLabel')}
                autoComplete="off"
                spellCheck={false}
                // biome-ignore lint/a11y/noAutofocus: the receipt is scanned first
                autoFocus
              />
              <Button type="submit" variant="primary" size="lg" busy={lookup.isPending}>
                {t('returns.find')}
              </Button>
            </div>
          </form>
        </Card>
        {lookup.isError && <PosProblem error={lookup.error} />}
        {lookup.data && <Orders orders={lookup.data.data} onPick={setPicked} />}
      </section>
      <section aria-label={t('returns.formLabel')}>
        {picked ? (
          <ReturnForm
            key={picked.order_id}
            order={picked}
            onDone={() => {
              setPicked(null);
              lookup.reset();
              setText('');
              refocus();
            }}
          />
        ) : (
          <EmptyState title={t('returns.pickHint')} />
        )}
      </section>
    </div>
  );
};

export default ReturnsScreen;
