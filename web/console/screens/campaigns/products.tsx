/**
 * The products a campaign advertises: templates list them with their stock at each recipient's store
 * (`products`), and "only while in stock" skips a recipient whose store has none (out_of_stock).
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { CheckField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { Button, Card } from '../../../kit/ui.tsx';
import { useDebounced } from './content.tsx';
import type { CampaignBody } from './data.ts';

export const Products = ({
  body,
  set,
}: {
  body: CampaignBody;
  set: (patch: Partial<CampaignBody>) => void;
}) => {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [titles, setTitles] = useState<Record<string, string>>({});
  const search = useDebounced(q.trim(), 300);
  const found = useQuery({
    queryKey: ['campaigns', 'products', search],
    enabled: search.length > 1,
    queryFn: () => unwrap(staffApi.GET('/admin/products', { params: { query: { limit: 5, q: search } } })),
  });
  const ids = body.product_ids ?? [];
  return (
    <Card title={t('campaigns.products.title')}>
      <p className="pz-muted">{t('campaigns.products.intro')}</p>
      {ids.length > 0 && (
        <ul className="cm-reasons">
          {ids.map((id) => (
            <li key={id} className="pz-row">
              <span dir="auto">{titles[id] ?? id}</span>
              <Button variant="ghost" onClick={() => set({ product_ids: ids.filter((x) => x !== id) })}>
                {t('campaigns.content.removeVariant')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <Field
        label={t('campaigns.products.search')}
        value={q}
        dir="auto"
        onChange={(e) => setQ(e.target.value)}
      />
      {search.length > 1 && (
        <ul className="cm-reasons">
          {found.data?.data
            .filter((p) => !ids.includes(p.id))
            .map((p) => (
              <li key={p.id}>
                <Button
                  onClick={() => {
                    setTitles({ ...titles, [p.id]: p.title });
                    set({ product_ids: [...ids, p.id] });
                  }}
                >
                  {t('campaigns.products.add', { title: p.title })}
                </Button>
              </li>
            ))}
        </ul>
      )}
      <CheckField
        label={t('campaigns.products.requireInStock')}
        checked={!!body.require_in_stock}
        onChange={(e) => set({ require_in_stock: e.target.checked })}
      />
    </Card>
  );
};
