/**
 * Per-channel publishing: a switch per channel (PUT / DELETE /admin/products/{id}/channels/{channelId}).
 * The switch moves at once and moves back, with the API's message, when the API refuses.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { Alert, Card, ProblemAlert, Skeleton } from '../../../kit/ui.tsx';
import { keys, type Product, useChannels } from './queries.tsx';

interface Change {
  channelId: string;
  publish: boolean;
}

export const ChannelsCard = ({ product }: { product: Product }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const channels = useChannels();
  const key = keys.product(product.id);
  const toggle = useMutation({
    mutationFn: ({ channelId, publish }: Change) => {
      const params = { path: { id: product.id, channelId } };
      return unwrap(
        publish
          ? staffApi.PUT('/admin/products/{id}/channels/{channelId}', { params })
          : staffApi.DELETE('/admin/products/{id}/channels/{channelId}', { params }),
      );
    },
    onMutate: async ({ channelId, publish }: Change) => {
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData<Product>(key);
      if (before) {
        const others = before.channels.filter((c) => c.channel_id !== channelId);
        const added = { channel_id: channelId, published_at: new Date().toISOString() };
        qc.setQueryData<Product>(key, { ...before, channels: publish ? [...others, added] : others });
      }
      return { before };
    },
    onError: (_e, _v, ctx) => {
      if (ctx?.before) qc.setQueryData(key, ctx.before);
    },
    onSuccess: (p) => {
      qc.setQueryData(key, p);
      void qc.invalidateQueries({ queryKey: keys.products });
    },
  });
  const published = new Map(product.channels.map((c) => [c.channel_id, c.published_at]));
  return (
    <Card title={t('catalog.channels.title')}>
      {product.status !== 'published' && <Alert tone="info">{t('catalog.channels.needsPublished')}</Alert>}
      {channels.isPending ? (
        <Skeleton lines={3} />
      ) : channels.isError ? (
        <ProblemAlert error={channels.error} onRetry={() => void channels.refetch()} />
      ) : (
        <ul className="pz-stack pz-catalog-list" aria-label={t('catalog.channels.title')}>
          {channels.data.map((c) => {
            const at = published.get(c.id);
            return (
              <li key={c.id} className="pz-row">
                <label className="pz-row">
                  <input
                    type="checkbox"
                    checked={at !== undefined}
                    disabled={toggle.isPending || (product.status !== 'published' && at === undefined)}
                    onChange={(e) => toggle.mutate({ channelId: c.id, publish: e.target.checked })}
                  />
                  <strong>{c.name}</strong>
                  <span className="pz-muted">
                    {t(`catalog.channels.type.${c.type}`)} · {c.currency}
                  </span>
                </label>
                <span className="pz-spacer" />
                <span className="pz-muted">
                  {at ? t('catalog.channels.since', { date: fmt.date(at) }) : t('catalog.channels.off')}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {toggle.isError && <ProblemAlert error={toggle.error} />}
    </Card>
  );
};
