/**
 * A placement (slot) of the shop and the app view: the banner GET /store/placements/:slot chose for
 * this visitor or customer (segment, campaign, A/B arm). Nothing at all when there is none; a click
 * follows the tracked link Plaza gave (it records the click, then redirects).
 */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../kit/api.ts';
import { useShop } from './session.tsx';

export const Placement = ({ slot }: { slot: 'home_hero' | 'product_detail' }) => {
  const { t } = useTranslation();
  const { api, token } = useShop();
  const query = useQuery({
    queryKey: ['placement', slot, token ?? null],
    // 204 (nothing to show in this slot) is null
    queryFn: () =>
      unwrap(api.GET('/store/placements/{slot}', { params: { path: { slot } } })).then((d) => d ?? null),
    staleTime: 60_000,
    retry: false,
  });
  const p = query.data;
  if (!p) return null;
  const inner = (
    <>
      {p.image_url && <img src={p.image_url} alt="" loading="lazy" />}
      <span className="shop-placement-text">
        {p.title && <strong dir="auto">{p.title}</strong>}
        {p.body && <span dir="auto">{p.body}</span>}
      </span>
    </>
  );
  return (
    <aside className="shop-placement" data-testid={`placement-${slot}`} aria-label={t('placement.label')}>
      {p.url ? (
        <a href={p.url} className="shop-placement-link" data-testid="placement-link">
          {inner}
        </a>
      ) : (
        <div className="shop-placement-body">{inner}</div>
      )}
    </aside>
  );
};
