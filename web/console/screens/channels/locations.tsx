/**
 * The locations that fulfil a channel's orders, in priority order (routing tries the first first):
 * choose them from all locations and order them.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Badge, Button, Card, EmptyState, ProblemAlert } from '../../../kit/ui.tsx';
import { Problem } from '../customers/ui.tsx';
import { channelKeys } from './data.ts';

export const Locations = ({ channelId }: { channelId: string }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const key = channelKeys.part(channelId, 'locations');
  const current = useQuery({
    queryKey: key,
    queryFn: () =>
      unwrap(staffApi.GET('/admin/channels/{id}/locations', { params: { path: { id: channelId } } })),
  });
  const all = useQuery({
    queryKey: ['locations', 'names'],
    queryFn: () => unwrap(staffApi.GET('/admin/locations', { params: { query: { limit: 100 } } })),
    staleTime: 300_000,
  });
  const [order, setOrder] = useState<string[]>([]);
  useEffect(() => {
    if (current.data) setOrder(current.data.locations.map((l) => l.location.id));
  }, [current.data]);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.PUT('/admin/channels/{id}/locations', {
          params: { path: { id: channelId } },
          body: { location_ids: order },
        }),
      ),
    onSuccess: (data) => {
      qc.setQueryData(key, data);
      toast(t('channels.locations.saved'), 'success');
    },
  });
  const move = (i: number, by: number) =>
    setOrder((o) => {
      const next = [...o];
      const [x] = next.splice(i, 1);
      if (x !== undefined) next.splice(i + by, 0, x);
      return next;
    });
  const names = new Map((all.data?.data ?? []).map((l) => [l.id, l]));
  const unchanged =
    JSON.stringify(order) === JSON.stringify(current.data?.locations.map((l) => l.location.id) ?? []);
  return (
    <Card title={t('channels.locations.title')}>
      <p className="pz-muted">{t('channels.locations.intro')}</p>
      <QueryState query={all}>
        {(locs) => (
          <div className="pz-stack">
            {order.length === 0 ? (
              <EmptyState title={t('channels.locations.none')} />
            ) : (
              <ol className="cx-list" data-testid="channel-locations">
                {order.map((id, i) => {
                  const l = names.get(id);
                  return (
                    <li key={id}>
                      <span className="pz-row">
                        <strong>{l?.name ?? id}</strong>
                        {l && <Badge>{t(`channels.locations.types.${l.type}`)}</Badge>}
                        <span className="pz-spacer" />
                        <Button
                          variant="ghost"
                          disabled={i === 0}
                          onClick={() => move(i, -1)}
                          aria-label={t('channels.locations.up', { name: l?.name ?? id })}
                        >
                          ↑
                        </Button>
                        <Button
                          variant="ghost"
                          disabled={i === order.length - 1}
                          onClick={() => move(i, 1)}
                          aria-label={t('channels.locations.down', { name: l?.name ?? id })}
                        >
                          ↓
                        </Button>
                        <Button variant="ghost" onClick={() => setOrder((o) => o.filter((x) => x !== id))}>
                          {t('channels.locations.remove')}
                        </Button>
                      </span>
                    </li>
                  );
                })}
              </ol>
            )}
            <div className="pz-row">
              {locs.data
                .filter((l) => !order.includes(l.id))
                .map((l) => (
                  <Button key={l.id} onClick={() => setOrder((o) => [...o, l.id])}>
                    + {l.name}
                  </Button>
                ))}
            </div>
          </div>
        )}
      </QueryState>
      {current.isError && <ProblemAlert error={current.error} onRetry={() => void current.refetch()} />}
      {save.isError && <Problem error={save.error} />}
      <div className="pz-row">
        <Button variant="primary" disabled={unchanged} busy={save.isPending} onClick={() => save.mutate()}>
          {t('channels.locations.save')}
        </Button>
      </div>
    </Card>
  );
};
