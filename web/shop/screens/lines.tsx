/** Cart lines with quantity buttons, and the totals: in the cart drawer and at checkout. */
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../kit/format.ts';
import { Badge, Button } from '../../kit/ui.tsx';
import { type Cart, type CartLine, useSetQuantity } from '../cart.ts';
import { Thumb } from '../parts.tsx';
import { ShopProblem } from '../problem.tsx';

export const Totals = ({ cart }: { cart: Cart }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const m = (n: number) => f.money(n, cart.currency);
  return (
    <dl className="shop-totals">
      <dt>{t('cart.subtotal')}</dt>
      <dd>{m(cart.subtotal)}</dd>
      {cart.discount_total > 0 && (
        <>
          <dt>{t('cart.discount')}</dt>
          <dd>−{m(cart.discount_total)}</dd>
        </>
      )}
      {cart.fulfillment && (
        <>
          <dt>{t('cart.shipping')}</dt>
          <dd>{m(cart.shipping_total)}</dd>
        </>
      )}
      <dt>{t('cart.tax')}</dt>
      <dd>{m(cart.tax_total)}</dd>
      <dt className="shop-total">{t('cart.total')}</dt>
      <dd className="shop-total">{m(cart.total)}</dd>
    </dl>
  );
};

const AVAILABILITY_TONE = {
  in_stock: 'success',
  low_stock: 'warning',
  insufficient: 'danger',
  out_of_stock: 'danger',
  not_sold_here: 'danger',
} as const;

export const Line = ({ cart, line, editable }: { cart: Cart; line: CartLine; editable: boolean }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const setQty = useSetQuantity();
  const pending = line.id.startsWith('pending-');
  const change = (quantity: number) => setQty.mutate({ cartId: cart.id, lineId: line.id, quantity });
  return (
    <li className="shop-line" data-testid="cart-line">
      <Thumb url={line.image_url} title={line.title} />
      <div className="pz-stack" style={{ gap: 'var(--space-1)' }}>
        <strong>{line.title}</strong>
        {line.variant_title && <span className="pz-muted">{line.variant_title}</span>}
        {line.availability !== 'in_stock' && !pending && (
          <Badge tone={AVAILABILITY_TONE[line.availability]}>
            {t(`cart.availability.${line.availability}`, { n: f.number(line.available) })}
          </Badge>
        )}
        {editable && (
          <div className="shop-qty">
            <Button
              variant="ghost"
              aria-label={t('cart.decrease', { title: line.title })}
              disabled={pending}
              onClick={() => change(line.quantity - 1)}
            >
              −
            </Button>
            <output aria-label={t('cart.quantity')}>{f.number(line.quantity)}</output>
            <Button
              variant="ghost"
              aria-label={t('cart.increase', { title: line.title })}
              disabled={pending}
              onClick={() => change(line.quantity + 1)}
            >
              +
            </Button>
            <Button variant="ghost" disabled={pending} onClick={() => change(0)}>
              {t('cart.remove')}
            </Button>
          </div>
        )}
        {!editable && <span className="pz-muted">× {f.number(line.quantity)}</span>}
        {setQty.isError && <ShopProblem error={setQty.error} note={t('problems.rolledBack')} />}
      </div>
      <span className="shop-price">
        {line.unit_price !== null ? f.money(line.unit_price * line.quantity, cart.currency) : '—'}
      </span>
    </li>
  );
};
