/**
 * The shop's home: what the channel sells, searched (`?q=`), browsed by category or collection
 * (`?category=`, `?collection=`), sorted, filtered to the chosen store's stock; pages of 24 with
 * "Show more" (Plaza's keyset cursor).
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { unwrap } from '../kit/api.ts';
import { Badge, Button, EmptyState, Skeleton } from '../kit/ui.tsx';
import { trackProductClicked, useListViewed } from './analytics.ts';
import { loadProductScreen, prefetchProduct } from './catalog.ts';
import { CategoryMenu, useCategories } from './menu.tsx';
import { chosenStore, Price, Thumb } from './parts.tsx';
import { Placement } from './placement.tsx';
import { ShopProblem } from './problem.tsx';
import { useShop } from './session.tsx';

const SORTS = ['relevance', 'newest', 'price_asc', 'price_desc', 'title'] as const;
type SortKey = (typeof SORTS)[number];
const isSort = (v: string | null): v is SortKey => !!v && (SORTS as readonly string[]).includes(v);

/** A pointer or focus on a card starts the product's request and its page's code. */
const warm = (handle: string) => {
  prefetchProduct(handle);
  void loadProductScreen();
};

export const Home = () => {
  const { t } = useTranslation();
  const { api } = useShop();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const sortParam = params.get('sort');
  const sort: SortKey = isSort(sortParam) ? sortParam : q ? 'relevance' : 'newest';
  const category = params.get('category') ?? undefined;
  const collection = params.get('collection') ?? undefined;
  const store = params.get('store') ?? undefined;
  const myStore = chosenStore();
  const list = useInfiniteQuery({
    queryKey: ['catalog', 'list', { q, sort, category, collection, store }],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/store/products', {
          params: {
            query: {
              limit: 24,
              sort,
              ...(q ? { q } : {}),
              ...(category ? { category_id: category } : {}),
              ...(collection ? { collection_id: collection } : {}),
              ...(store ? { in_stock_at: store } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const products = list.data?.pages.flatMap((p) => p.data) ?? [];
  const categoryName = useCategories().data?.data.find((c) => c.id === category)?.name;
  const listId = category ?? collection ?? (q ? 'search' : 'home');
  useListViewed(
    JSON.stringify([q, sort, category, collection, store]),
    { listId, category: categoryName, query: q || undefined },
    list.data?.pages[0]?.data,
  );
  return (
    <>
      <CategoryMenu current={category} />
      <h1>
        {q
          ? t('home.results', { q })
          : (categoryName ?? (category || collection ? t('home.browse') : t('home.title')))}
      </h1>
      {!q && !category && !collection && <Placement slot="home_hero" />}
      <div className="shop-toolbar">
        <label className="pz-row">
          <span>{t('home.sort')}</span>
          <select className="pz-select" value={sort} onChange={(e) => set('sort', e.target.value)}>
            {SORTS.filter((s) => s !== 'relevance' || q).map((s) => (
              <option key={s} value={s}>
                {t(`home.sorts.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {myStore && (
          <label className="pz-row">
            <input
              type="checkbox"
              checked={store === myStore}
              onChange={(e) => set('store', e.target.checked ? myStore : undefined)}
            />
            <span>{t('home.inMyStore')}</span>
          </label>
        )}
        {(category || collection) && (
          <Button
            variant="ghost"
            onClick={() => {
              const next = new URLSearchParams(params);
              next.delete('category');
              next.delete('collection');
              setParams(next);
            }}
          >
            {t('home.clearFilter')}
          </Button>
        )}
      </div>
      {list.isPending ? (
        <Skeleton lines={8} />
      ) : list.isError ? (
        <ShopProblem error={list.error} onRetry={() => void list.refetch()} />
      ) : products.length === 0 ? (
        <EmptyState title={q ? t('home.noResults', { q }) : t('home.empty')} />
      ) : (
        <>
          <ul className="shop-grid">
            {products.map((p, i) => (
              <li key={p.id}>
                <Link
                  to={`/p/${p.handle}`}
                  className="shop-card"
                  data-testid="product-card"
                  onPointerEnter={() => warm(p.handle)}
                  onFocus={() => warm(p.handle)}
                  onClick={() => trackProductClicked(listId, p, i + 1)}
                >
                  <Thumb url={p.image_url} title={p.title} />
                  <h2>{p.title}</h2>
                  <span>
                    {p.price_min !== p.price_max && <span className="pz-muted">{t('home.from')} </span>}
                    <Price
                      amount={p.price_min}
                      currency={p.currency}
                      compareAt={p.on_sale ? p.compare_at_max : null}
                    />
                  </span>
                  <span className="pz-row">
                    {p.on_sale && <Badge tone="danger">{t('product.sale')}</Badge>}
                    {!p.in_stock && <Badge tone="warning">{t('product.soldOut')}</Badge>}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          {list.hasNextPage && (
            <div className="pz-row" style={{ justifyContent: 'center', marginBlockStart: 'var(--space-5)' }}>
              <Button onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage}>
                {t('home.more')}
              </Button>
            </div>
          )}
        </>
      )}
    </>
  );
};
