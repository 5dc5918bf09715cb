/**
 * The identified customer's active offers at this store ("20 % off running shoes, in stock here", with
 * the code). Each offer shown is reported once (POST /admin/pos/offers/:send_id/shown): that is the
 * campaign's touch at the counter, counted in the customer's frequency cap.
 */
import type { paths } from '@plaza/client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../kit/api.ts';
import { Badge } from '../../kit/ui.tsx';
import { api } from '../api.ts';

type Offers =
  paths['/admin/pos/customers/{id}/offers']['get']['responses'][200]['content']['application/json'];
type Offer = Offers['data'][number];

/** Sends already reported shown by this till (a re-render or re-attach does not report again). */
const reported = new Set<string>();

export const OffersPanel = ({ customerId, locationId }: { customerId: string; locationId: string }) => {
  const { t } = useTranslation();
  const offers = useQuery({
    queryKey: ['pos', 'offers', customerId, locationId],
    queryFn: () =>
      unwrap(
        api.GET('/admin/pos/customers/{id}/offers', {
          params: { path: { id: customerId }, query: { location_id: locationId } },
        }),
      ),
  });
  const shown = useMutation({
    mutationFn: (sendId: string) =>
      unwrap(api.POST('/admin/pos/offers/{send_id}/shown', { params: { path: { send_id: sendId } } })),
  });
  const list: Offer[] = offers.data?.data ?? [];
  useEffect(() => {
    for (const o of list) {
      if (o.shown || reported.has(o.send_id)) continue;
      reported.add(o.send_id);
      shown.mutate(o.send_id);
    }
  }, [list, shown.mutate]);
  if (list.length === 0) return null;
  return (
    <section className="pz-stack" aria-labelledby="pos-offers-h" data-testid="pos-offers">
      <h3 id="pos-offers-h">{t('offers.title')}</h3>
      <ul className="pos-results">
        {list.map((o) => (
          <li key={o.send_id} className="pos-result" data-testid="pos-offer">
            <div>
              <strong dir="auto">{o.title ?? o.campaign_name}</strong>
              {o.body && (
                <div className="pz-muted" dir="auto">
                  {o.body}
                </div>
              )}
              {o.products.length > 0 && (
                <ul className="pos-offer-products">
                  {o.products.map((p) => (
                    <li key={p.id}>
                      <span dir="auto">{p.title}</span>{' '}
                      {p.in_stock_here ? (
                        <Badge tone="success">{t('offers.inStockHere')}</Badge>
                      ) : (
                        <Badge tone="warning">{t('offers.notHere')}</Badge>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </div>
            {o.code && (
              <span>
                {t('offers.code')}{' '}
                <code className="pz-mono" dir="ltr" data-testid="pos-offer-code">
                  {o.code}
                </code>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
};
