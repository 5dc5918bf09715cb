/** The shopper's account: profile, loyalty balance (and joining), order history, logging out. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { forgetAnonymousId, unwrap } from '../../kit/api.ts';
import { useFormat } from '../../kit/format.ts';
import { QueryState } from '../../kit/states.tsx';
import { Badge, Button, Card, EmptyState, Skeleton } from '../../kit/ui.tsx';
import { shopAnalytics } from '../analytics.ts';
import { ShopProblem } from '../problem.tsx';
import { useShop } from '../session.tsx';
import { StatusBadge } from './status.tsx';

const Loyalty = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const { api } = useShop();
  const qc = useQueryClient();
  const loyalty = useQuery({
    queryKey: ['loyalty'],
    queryFn: () => unwrap(api.GET('/store/customers/me/loyalty', { params: { query: { limit: 5 } } })),
  });
  const join = useMutation({
    mutationFn: () => unwrap(api.POST('/store/customers/me/loyalty')),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['loyalty'] }),
  });
  return (
    <Card title={t('account.loyalty')}>
      <QueryState query={loyalty}>
        {(l) =>
          l.enrolled ? (
            <div className="pz-stack">
              <p>
                <span className="shop-code" data-testid="loyalty-balance">
                  {f.number(l.balance)}
                </span>{' '}
                {t('account.points')}
              </p>
              <p>
                <Badge tone="info">{l.tier.name}</Badge>{' '}
                {l.tier.next && (
                  <span className="pz-muted">
                    {t('account.nextTier', { tier: l.tier.next.name, n: f.number(l.tier.next.remaining) })}
                  </span>
                )}
              </p>
              {l.card_number && (
                <p>
                  {t('account.card')} <span className="pz-mono">{l.card_number}</span>
                </p>
              )}
              {l.history.data.length > 0 && (
                <ul className="shop-list">
                  {l.history.data.map((h) => (
                    <li key={h.id}>
                      <div className="shop-item">
                        <span>{f.day(h.created_at)}</span>
                        <span className="pz-muted">{h.note ?? h.kind}</span>
                        <span className="pz-spacer" />
                        <span className="pz-num">{f.number(h.points)}</span>
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ) : (
            <div className="pz-stack">
              <p>{t('account.joinText')}</p>
              <div>
                <Button variant="primary" busy={join.isPending} onClick={() => join.mutate()}>
                  {t('account.join')}
                </Button>
              </div>
              {join.isError && <ShopProblem error={join.error} />}
            </div>
          )
        }
      </QueryState>
    </Card>
  );
};

const Account = () => {
  const { t } = useTranslation();
  const { api, setToken } = useShop();
  const navigate = useNavigate();
  const me = useQuery({ queryKey: ['me'], queryFn: () => unwrap(api.GET('/store/customers/me')) });
  const logout = useMutation({
    mutationFn: () => unwrap(api.DELETE('/store/auth/token')),
    onSettled: () => {
      // Whoever uses this device next is someone else: a new device id, for the API and analytics.
      forgetAnonymousId();
      shopAnalytics.reset();
      setToken(undefined);
      void navigate('/');
    },
  });
  return (
    <div className="pz-stack">
      <h1>{t('account.title')}</h1>
      <QueryState query={me} lines={2}>
        {(c) => (
          <p>
            {t('account.hello', { name: c.first_name ?? c.email ?? '' })}{' '}
            <span className="pz-muted">{c.email}</span>
          </p>
        )}
      </QueryState>
      <nav aria-label={t('account.sections')}>
        <ul className="shop-list">
          <li>
            <Link to="/account/orders">{t('account.orders')}</Link>
          </li>
          <li>
            <Link to="/account/preferences">{t('account.preferences')}</Link>
          </li>
          <li>
            <Link to="/account/data">{t('account.myData')}</Link>
          </li>
        </ul>
      </nav>
      <Loyalty />
      <div>
        <Button onClick={() => logout.mutate()} busy={logout.isPending}>
          {t('account.logout')}
        </Button>
      </div>
    </div>
  );
};

export const Orders = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const { api } = useShop();
  const list = useInfiniteQuery({
    queryKey: ['orders', 'list'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/store/orders', {
          params: { query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const orders = list.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <div className="pz-stack">
      <h1>{t('orders.title')}</h1>
      {list.isPending ? (
        <Skeleton lines={5} />
      ) : list.isError ? (
        <ShopProblem error={list.error} onRetry={() => void list.refetch()} />
      ) : orders.length === 0 ? (
        <EmptyState title={t('orders.empty')}>
          <Link to="/">{t('checkout.backToShop')}</Link>
        </EmptyState>
      ) : (
        <ul className="shop-list">
          {orders.map((o) => (
            <li key={o.id}>
              <Link to={`/orders/${o.id}`} data-testid="order-row">
                <strong>{t('orders.number', { number: o.number })}</strong>
                <StatusBadge status={o.status} />
                <span className="pz-muted">{f.date(o.placed_at)}</span>
                <span className="pz-spacer" />
                <span className="shop-price">{f.money(o.total, o.currency)}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <div>
          <Button onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage}>
            {t('home.more')}
          </Button>
        </div>
      )}
    </div>
  );
};

export default Account;
