/**
 * The shop's frame: a header with search and the cart button, a compact bottom navigation on a phone
 * (the app view), the screen, and the cart drawer (its own chunk, loaded when first opened). The live
 * cart stream runs here, so every screen shows the cart as it is on every device.
 */
import { createContext, lazy, type ReactNode, Suspense, useContext, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useNavigate, useSearchParams } from 'react-router';
import { useFormat } from '../kit/format.ts';
import { LanguageSwitch, ThemeSwitch } from '../kit/shell.tsx';
import { ErrorBoundary } from '../kit/states.tsx';
import { Skeleton } from '../kit/ui.tsx';
import { useShopAnalytics } from './analytics.ts';
import { useCart, useCartStream } from './cart.ts';
import { useLazyMessages } from './messages.ts';
import { useShop } from './session.tsx';
import './shop.css';

const CartDrawer = lazy(() => import('./screens/cart-drawer.tsx'));

interface DrawerControl {
  open: () => void;
}
const DrawerContext = createContext<DrawerControl>({ open: () => undefined });
/** Opens the cart drawer (after "Add to cart", from the cart button). */
export const useCartDrawer = () => useContext(DrawerContext);

/** A 22 px line icon in the text colour (decorative: the link or button says what it is). */
const Icon = ({ children }: { children: ReactNode }) => (
  <svg
    aria-hidden="true"
    width="22"
    height="22"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="2"
  >
    {children}
  </svg>
);

const CartIcon = () => (
  <Icon>
    <path d="M3 4h2l2.4 11.2a2 2 0 0 0 2 1.6h7.7a2 2 0 0 0 2-1.5L21 8H6.2" />
    <circle cx="10" cy="20" r="1.4" />
    <circle cx="17" cy="20" r="1.4" />
  </Icon>
);

const CartButton = ({ onClick }: { onClick: () => void }) => {
  const { t } = useTranslation();
  const cart = useCart();
  const f = useFormat();
  const count = cart.data?.item_count ?? 0;
  return (
    <button type="button" className="shop-cart-btn" onClick={onClick}>
      <CartIcon />
      <span className="shop-nav-label">{t('cart.title')}</span>
      <span className="shop-badge" data-testid="cart-count" aria-hidden="true">
        {f.number(count)}
      </span>
      <span className="visually-hidden">{t('cart.count', { count })}</span>
    </button>
  );
};

const SearchBox = () => {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  return (
    <search className="shop-search">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const q = new FormData(e.currentTarget).get('q');
          const next = new URLSearchParams();
          if (typeof q === 'string' && q.trim()) next.set('q', q.trim());
          void navigate({ pathname: '/', search: next.toString() });
        }}
      >
        <input
          key={params.get('q') ?? ''}
          name="q"
          type="search"
          className="pz-input"
          defaultValue={params.get('q') ?? ''}
          placeholder={t('search.placeholder')}
          aria-label={t('search.label')}
        />
      </form>
    </search>
  );
};

export const ShopLayout = ({ children }: { children?: ReactNode }) => {
  const { t } = useTranslation();
  const { loggedIn } = useShop();
  const cart = useCart();
  useCartStream(cart.data?.id);
  useLazyMessages();
  useShopAnalytics();
  const [drawer, setDrawer] = useState<'closed' | 'open' | 'never'>('never');
  const control = useMemo(() => ({ open: () => setDrawer('open') }), []);
  const openDrawer = () => setDrawer('open');
  return (
    <DrawerContext.Provider value={control}>
      <a href="#main" className="visually-hidden">
        {t('skipToContent')}
      </a>
      <header className="shop-header">
        <Link to="/" className="pz-brand">
          {t('brand')}
        </Link>
        <SearchBox />
        <nav className="shop-topnav" aria-label={t('nav.label')}>
          <NavLink to="/" end>
            {t('nav.shop')}
          </NavLink>
          {loggedIn && <NavLink to="/account/orders">{t('nav.orders')}</NavLink>}
          <NavLink to={loggedIn ? '/account' : '/login'} end>
            {loggedIn ? t('nav.account') : t('nav.login')}
          </NavLink>
        </nav>
        <CartButton onClick={openDrawer} />
        <div className="shop-switches">
          <LanguageSwitch />
          <ThemeSwitch />
        </div>
      </header>
      <main id="main" className="shop-main">
        <ErrorBoundary>
          <Suspense fallback={<Skeleton lines={6} />}>{children ?? <Outlet />}</Suspense>
        </ErrorBoundary>
      </main>
      <nav className="shop-bottomnav" aria-label={t('nav.app')}>
        <NavLink to="/" end>
          <Icon>
            <path d="M3 11 12 4l9 7v9a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z" />
          </Icon>
          <span className="shop-nav-label">{t('nav.shop')}</span>
        </NavLink>
        <NavLink to={loggedIn ? '/account/orders' : '/login'}>
          <Icon>
            <path d="M6 3h12v18l-3-2-3 2-3-2-3 2z" />
            <path d="M9 8h6M9 12h6" />
          </Icon>
          <span className="shop-nav-label">{t('nav.orders')}</span>
        </NavLink>
        <NavLink to={loggedIn ? '/account' : '/login'} end>
          <Icon>
            <circle cx="12" cy="8" r="4" />
            <path d="M4 21a8 8 0 0 1 16 0" />
          </Icon>
          <span className="shop-nav-label">{loggedIn ? t('nav.account') : t('nav.login')}</span>
        </NavLink>
      </nav>
      {drawer !== 'never' && (
        <Suspense fallback={null}>
          <CartDrawer open={drawer === 'open'} onOpenChange={(o) => setDrawer(o ? 'open' : 'closed')} />
        </Suspense>
      )}
    </DrawerContext.Provider>
  );
};
