/** Small pieces several shop screens share: the product thumbnail, prices, the chosen store. */
import { useFormat } from '../kit/format.ts';

/**
 * A product picture. Only same-origin images load (the UI's Content-Security-Policy allows `img-src
 * 'self'`); otherwise the product's initial on a token-coloured tile.
 */
export const Thumb = ({ url, title }: { url: string | null | undefined; title: string }) => (
  <div className="shop-thumb" aria-hidden="true">
    {url?.startsWith('/') ? <img src={url} alt="" loading="lazy" /> : (title.trim()[0] ?? '•')}
  </div>
);

/** A price, with the crossed-out compare-at price when the item is on sale. */
export const Price = ({
  amount,
  currency,
  compareAt,
  testId,
}: {
  amount: number;
  currency: string;
  compareAt?: number | null | undefined;
  testId?: string;
}) => {
  const f = useFormat();
  return (
    <span className="shop-price" data-testid={testId}>
      {f.money(amount, currency)}
      {compareAt != null && compareAt > amount && <s className="shop-was">{f.money(compareAt, currency)}</s>}
    </span>
  );
};

const STORE_KEY = 'plaza.shop.store';
/** The store the shopper chose for pickups (remembered on this device). */
export const chosenStore = (): string | null => localStorage.getItem(STORE_KEY);
export const chooseStore = (id: string | null): void => {
  if (id) localStorage.setItem(STORE_KEY, id);
  else localStorage.removeItem(STORE_KEY);
};
