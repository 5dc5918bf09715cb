/** One section of a store's pickup queue (to prepare, ready, overdue …), paged on the server. */
import type { components, paths } from '@plaza/client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { Pager, useCursorPager } from '../../../kit/table.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Badge, Button, Card, EmptyState, ProblemAlert, Skeleton } from '../../../kit/ui.tsx';
import { StatusBadge } from '../inventory/common.tsx';
import { ForbiddenStore } from './forbidden.tsx';
import { PickupTransfers } from './transfers.tsx';

export type Pickup = components['schemas']['Pickup'];
export type Queue = NonNullable<
  NonNullable<paths['/admin/locations/{id}/pickups']['get']['parameters']['query']>['status']
>;
export const QUEUES: Queue[] = ['to_prepare', 'overdue', 'ready', 'collected', 'expired', 'cancelled'];

export const queueKey = (locationId: string, queue?: Queue) =>
  queue ? ['pickups', locationId, queue] : ['pickups', locationId];

type QueuePage = Awaited<ReturnType<typeof fetchQueue>>;

export const fetchQueue = (locationId: string, queue: Queue, cursor: string | undefined, limit = 50) =>
  unwrap(
    staffApi.GET('/admin/locations/{id}/pickups', {
      params: { path: { id: locationId }, query: { status: queue, limit, ...(cursor ? { cursor } : {}) } },
    }),
  );

const Lines = ({ pickup }: { pickup: Pickup }) => {
  const f = useFormat();
  return (
    <ul className="pz-stack" aria-label={String(pickup.order_number)}>
      {pickup.lines.map((l) => (
        <li key={l.order_line_id}>
          <span className="pz-num">{f.number(l.remaining || l.quantity)}</span> × {l.title}{' '}
          <span className="pz-mono pz-muted">{l.sku}</span>
        </li>
      ))}
    </ul>
  );
};

export const QueueSection = ({
  locationId,
  queue,
  selectedOrderId,
  onHandOver,
}: {
  locationId: string;
  queue: Queue;
  selectedOrderId: string | undefined;
  onHandOver: (p: Pickup) => void;
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  const toast = useToast();
  const qc = useQueryClient();
  const pager = useCursorPager();
  const query = useQuery({
    queryKey: [...queueKey(locationId, queue), pager.cursor],
    queryFn: () => fetchQueue(locationId, queue, pager.cursor),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  // Optimistic: the order moves to "ready" at once; a refusal (stock still in transit …) puts it back.
  const ready = useMutation({
    mutationFn: (p: Pickup) =>
      unwrap(staffApi.POST('/admin/orders/{id}/pickup/ready', { params: { path: { id: p.order_id } } })),
    onMutate: async (p) => {
      await qc.cancelQueries({ queryKey: queueKey(locationId) });
      const before = qc.getQueriesData<QueuePage>({ queryKey: queueKey(locationId) });
      qc.setQueriesData<QueuePage>({ queryKey: queueKey(locationId, 'to_prepare') }, (page) =>
        page ? { ...page, data: page.data.filter((x) => x.order_id !== p.order_id) } : page,
      );
      qc.setQueryData<QueuePage>([...queueKey(locationId, 'ready'), undefined], (page) =>
        page ? { ...page, data: [{ ...p, status: 'ready', overdue: false }, ...page.data] } : page,
      );
      return { before };
    },
    onError: (_e, _p, ctx) => {
      for (const [key, data] of ctx?.before ?? []) qc.setQueryData(key, data);
    },
    onSuccess: (p) => toast(t('pickups.ready.done', { number: p.order_number }), 'success'),
    onSettled: () => qc.invalidateQueries({ queryKey: queueKey(locationId) }),
  });
  const title = t(`pickups.queues.${queue}`);
  let body: React.ReactNode;
  if (query.isPending) body = <Skeleton lines={4} />;
  else if (query.isError) body = <ForbiddenStore error={query.error} onRetry={() => void query.refetch()} />;
  else if (query.data.data.length === 0) body = <EmptyState title={t(`pickups.empty.${queue}`)} />;
  else
    body = (
      <>
        <div className="pz-table-wrap">
          <table className="pz-table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t('pickups.cols.order')}</th>
                <th scope="col">{t('pickups.cols.items')}</th>
                <th scope="col">{t('pickups.cols.customer')}</th>
                <th scope="col">{t('pickups.cols.total')}</th>
                <th scope="col">{t('pickups.cols.when')}</th>
                <th scope="col">{t('pickups.cols.status')}</th>
                <th scope="col">{t('pickups.cols.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {query.data.data.map((p) => (
                <tr
                  key={p.order_id}
                  className="pz-pickup-row"
                  data-testid="pickup-row"
                  data-order-number={p.order_number}
                  data-status={p.status}
                  data-overdue={p.overdue ? 'true' : undefined}
                  data-selected={selectedOrderId === p.order_id ? 'true' : undefined}
                >
                  <td>
                    <Link to={`/orders/${p.order_id}`}>#{p.order_number}</Link>
                  </td>
                  <td>
                    <Lines pickup={p} />
                  </td>
                  <td>{p.email ?? t('pickups.guest')}</td>
                  <td className="pz-num">{f.money(p.total, p.currency)}</td>
                  <td>
                    {p.status === 'ready' && p.deadline_at
                      ? t('pickups.deadline', { at: f.date(p.deadline_at) })
                      : p.ready_estimate_at && p.status === 'to_prepare'
                        ? t('pickups.due', { at: f.date(p.ready_estimate_at) })
                        : p.closed_at
                          ? f.date(p.closed_at)
                          : ''}
                  </td>
                  <td>
                    <span className="pz-row">
                      <StatusBadge status={p.status} />
                      {p.overdue && <Badge tone="danger">{t('pickups.overdue')}</Badge>}
                      {p.awaiting_transfer && <Badge tone="warning">{t('pickups.awaitingTransfer')}</Badge>}
                    </span>
                    {p.status === 'to_prepare' && <PickupTransfers pickup={p} />}
                  </td>
                  <td>
                    {p.status === 'to_prepare' && (
                      <Button
                        variant="primary"
                        disabled={!p.can_mark_ready}
                        busy={ready.isPending && ready.variables?.order_id === p.order_id}
                        onClick={() => ready.mutate(p)}
                      >
                        {t('pickups.ready.action')}
                      </Button>
                    )}
                    {p.status === 'ready' && (
                      <Button variant="primary" onClick={() => onHandOver(p)}>
                        {t('pickups.handover.action')}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Pager pager={pager} nextCursor={query.data.next_cursor} />
      </>
    );
  return (
    <Card title={title}>
      {ready.isError && <ProblemAlert error={ready.error} />}
      {body}
    </Card>
  );
};
