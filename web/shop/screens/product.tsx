/**
 * A product page: variants by option, the channel's price, delivery availability, and per-store
 * pickup ("pick up today at …"): the chosen store first, or sorted by distance once the shopper lets
 * the browser share a location (asked only on a button press).
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { type components, unwrap } from '../../kit/api.ts';
import { useFormat } from '../../kit/format.ts';
import { QueryState } from '../../kit/states.tsx';
import { Badge, Button } from '../../kit/ui.tsx';
import { trackProductViewed } from '../analytics.ts';
import { useAddToCart } from '../cart.ts';
import { takeProduct } from '../catalog.ts';
import { useCartDrawer } from '../layout.tsx';
import { chooseStore, chosenStore, Price, Thumb } from '../parts.tsx';
import { Placement } from '../placement.tsx';
import { ShopProblem } from '../problem.tsx';
import { useShop } from '../session.tsx';

type Product = components['schemas']['StoreProduct'];
type Variant = Product['variants'][number];

interface Coords {
  lat: number;
  lng: number;
}

const firstAvailable = (p: Product): Variant | undefined =>
  p.variants.find((v) => v.available > 0) ?? p.variants[0];

const Stores = ({ product, variant }: { product: Product; variant: Variant }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const { api } = useShop();
  const [mine, setMine] = useState(chosenStore);
  const [coords, setCoords] = useState<Coords | null>(null);
  const [locating, setLocating] = useState<'idle' | 'asking' | 'denied'>('idle');
  const near = useQuery({
    queryKey: ['catalog', 'stores-near', coords, variant.sku],
    enabled: coords !== null,
    queryFn: () =>
      unwrap(
        api.GET('/store/locations', {
          params: { query: { ...(coords ? { lat: coords.lat, lng: coords.lng } : {}), sku: variant.sku } },
        }),
      ),
  });
  const distance = new Map((near.data?.data ?? []).map((l) => [l.id, l.distance_km]));
  const rows = product.pickup_locations
    .map((l, i) => ({ ...l, units: variant.pickup_units[i] ?? 0, km: distance.get(l.location_id) ?? null }))
    .sort((a, b) => {
      if (a.location_id === mine) return -1;
      if (b.location_id === mine) return 1;
      if (a.km !== null && b.km !== null) return a.km - b.km;
      return 0;
    });
  const today = rows.find((r) => r.units > 0 && r.open_later_today);
  const locate = () => {
    if (!('geolocation' in navigator)) {
      setLocating('denied');
      return;
    }
    setLocating('asking');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setCoords({ lat: pos.coords.latitude, lng: pos.coords.longitude });
        setLocating('idle');
      },
      () => setLocating('denied'),
      { maximumAge: 600_000, timeout: 10_000 },
    );
  };
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby="stores-h" className="pz-stack">
      <h2 id="stores-h">{t('product.pickup')}</h2>
      {today ? (
        <p>
          <Badge tone="success">{t('product.pickupToday', { store: today.name })}</Badge>
        </p>
      ) : (
        <p className="pz-muted">{t('product.noPickupToday')}</p>
      )}
      <div className="pz-row">
        <Button onClick={locate} busy={locating === 'asking' || near.isFetching}>
          {t('product.useLocation')}
        </Button>
        {locating === 'denied' && <span className="pz-muted">{t('product.locationDenied')}</span>}
      </div>
      <ul className="shop-stores">
        {rows.map((r) => (
          <li key={r.location_id} data-chosen={r.location_id === mine}>
            <strong>{r.name}</strong>
            {r.km !== null && <span className="pz-muted">{t('product.km', { km: f.number(r.km) })}</span>}
            {r.units > 0 ? (
              <Badge tone="success">{t('product.unitsHere', { count: r.units, n: f.number(r.units) })}</Badge>
            ) : (
              <Badge>{t('product.noneHere')}</Badge>
            )}
            {!r.open_now && <span className="pz-muted">{t('product.closedNow')}</span>}
            <span className="pz-spacer" />
            {r.location_id === mine ? (
              <Badge tone="info">{t('product.myStore')}</Badge>
            ) : (
              <Button
                variant="ghost"
                onClick={() => {
                  chooseStore(r.location_id);
                  setMine(r.location_id);
                }}
              >
                {t('product.chooseStore', { store: r.name })}
              </Button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
};

const Options = ({
  product,
  variant,
  onPick,
}: {
  product: Product;
  variant: Variant;
  onPick: (v: Variant) => void;
}) => {
  const values = (name: string) => [
    ...new Set(product.variants.map((v) => v.options[name]).filter((x) => x !== undefined)),
  ];
  const pick = (name: string, value: string) => {
    const want = { ...variant.options, [name]: value };
    const exact = product.variants.find((v) => product.option_names.every((n) => v.options[n] === want[n]));
    const any = product.variants.find((v) => v.options[name] === value);
    const next = exact ?? any;
    if (next) onPick(next);
  };
  return (
    <>
      {product.option_names.map((name) => (
        <fieldset key={name} className="shop-options">
          <legend>{name}</legend>
          {values(name).map((value) => {
            const match = product.variants.find((v) =>
              product.option_names.every((n) =>
                n === name ? v.options[n] === value : v.options[n] === variant.options[n],
              ),
            );
            return (
              <button
                key={value}
                type="button"
                className="shop-chip"
                aria-pressed={variant.options[name] === value}
                data-unavailable={!match || match.available <= 0}
                onClick={() => pick(name, value)}
              >
                {value}
              </button>
            );
          })}
        </fieldset>
      ))}
    </>
  );
};

const ProductView = ({ product }: { product: Product }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const variant = useMemo(
    () => product.variants.find((v) => v.id === picked) ?? firstAvailable(product),
    [product, picked],
  );
  const add = useAddToCart();
  const drawer = useCartDrawer();
  // Once per product shown (the variant first shown describes it).
  // biome-ignore lint/correctness/useExhaustiveDependencies: not again when another variant is picked
  useEffect(() => {
    if (variant) trackProductViewed(product, variant);
  }, [product.id]);
  if (!variant) return <p>{t('product.noVariants')}</p>;
  const category = product.category_ids[0];
  const collection = product.collection_ids[0];
  return (
    <article className="shop-product">
      <Thumb url={product.image_urls[0]} title={product.title} />
      <div className="pz-stack">
        <h1>{product.title}</h1>
        {variant.price ? (
          <Price
            amount={variant.price.amount}
            currency={product.currency}
            compareAt={variant.price.compare_at_amount}
            testId="product-price"
          />
        ) : (
          <span data-testid="product-price">{t('product.noPrice')}</span>
        )}
        <Placement slot="product_detail" />
        <p>{product.description}</p>
        <Options product={product} variant={variant} onPick={(v) => setPicked(v.id)} />
        <p className="pz-muted">
          {variant.title} · <span className="pz-mono">{variant.sku}</span>
        </p>
        <p>
          {variant.available_to_ship > 0 ? (
            <Badge tone="success">{t('product.ships')}</Badge>
          ) : (
            <Badge tone="warning">{t('product.noShipping')}</Badge>
          )}
        </p>
        {variant.available <= 0 && variant.back_in_days !== null && (
          <p className="pz-muted" data-testid="product-back-in">
            {t('product.backIn', { count: variant.back_in_days, n: f.number(variant.back_in_days) })}
          </p>
        )}
        <div className="pz-row">
          <Button
            variant="primary"
            size="lg"
            disabled={!variant.price || variant.available <= 0}
            busy={add.isPending}
            onClick={() =>
              add.mutate(
                {
                  sku: variant.sku,
                  quantity: 1,
                  title: product.title,
                  variantTitle: variant.title,
                  unitPrice: variant.price?.amount ?? null,
                },
                { onSuccess: () => drawer.open() },
              )
            }
          >
            {variant.available > 0 ? t('product.add') : t('product.soldOut')}
          </Button>
        </div>
        {add.isError && <ShopProblem error={add.error} note={t('problems.notAdded')} />}
        <Stores product={product} variant={variant} />
        <nav className="pz-row" aria-label={t('product.more')}>
          {category && (
            <Link to={`/?category=${encodeURIComponent(category)}`}>{t('product.moreCategory')}</Link>
          )}
          {collection && (
            <Link to={`/?collection=${encodeURIComponent(collection)}`}>{t('product.moreCollection')}</Link>
          )}
        </nav>
      </div>
    </article>
  );
};

const ProductScreen = () => {
  const { handle = '' } = useParams();
  const product = useQuery({
    queryKey: ['catalog', 'product', handle],
    queryFn: () => takeProduct(handle),
  });
  return (
    <QueryState query={product} lines={8}>
      {(p) => <ProductView product={p} />}
    </QueryState>
  );
};

export default ProductScreen;
