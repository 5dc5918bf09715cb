/** The cart drawer (Radix Dialog as a drawer): lines, quantities, totals, the way to checkout. */
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Dialog } from '../../kit/overlay.tsx';
import { Button, EmptyState, Skeleton } from '../../kit/ui.tsx';
import { useCartEvent } from '../analytics.ts';
import { useCart } from '../cart.ts';
import { ShopProblem } from '../problem.tsx';
import { Line, Totals } from './lines.tsx';

const CartDrawer = ({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) => {
  const { t } = useTranslation();
  const cart = useCart();
  const navigate = useNavigate();
  const c = cart.data;
  useCartEvent('Cart Viewed', c, open);
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={t('cart.title')} kind="drawer">
      {cart.isPending ? (
        <Skeleton lines={4} />
      ) : cart.isError ? (
        <ShopProblem error={cart.error} onRetry={() => void cart.refetch()} />
      ) : !c || c.lines.length === 0 ? (
        <EmptyState title={t('cart.empty')} />
      ) : (
        <div className="pz-stack">
          <p className="pz-muted" aria-live="polite">
            {t('cart.items', { count: c.item_count })}
          </p>
          <ul className="shop-lines">
            {c.lines.map((l) => (
              <Line key={l.id} cart={c} line={l} editable />
            ))}
          </ul>
          <Totals cart={c} />
          <Button
            variant="primary"
            size="lg"
            onClick={() => {
              onOpenChange(false);
              void navigate('/checkout');
            }}
          >
            {t('cart.checkout')}
          </Button>
        </div>
      )}
    </Dialog>
  );
};

export default CartDrawer;
