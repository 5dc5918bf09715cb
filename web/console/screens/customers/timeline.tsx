/** Customer 360, timeline: everything that happened to the person on every channel, newest first. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { Pager, useCursorPager } from '../../../kit/table.tsx';
import { Badge, EmptyState } from '../../../kit/ui.tsx';
import { keys, useNames } from './data.ts';

const KINDS = [
  'order',
  'payment',
  'cart',
  'pickup',
  'return',
  'in_store_sale',
  'message',
  'consent',
  'loyalty',
  'identity',
  'profile',
  'privacy',
  'other',
] as const;

const TimelineTab = ({ id }: { id: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const names = useNames();
  const pager = useCursorPager();
  const query = useQuery({
    queryKey: keys.part(id, 'timeline', pager.cursor),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/customers/{id}/timeline', {
          params: { path: { id }, query: { limit: 25, ...(pager.cursor ? { cursor: pager.cursor } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <QueryState query={query} lines={6}>
      {(page) =>
        page.data.length === 0 ? (
          <EmptyState title={t('customers.timeline.empty')} />
        ) : (
          <div className="pz-stack">
            <ol className="cx-timeline" data-testid="customer-timeline">
              {page.data.map((e) => (
                <li key={e.id}>
                  <div className="pz-row">
                    <Badge tone="info">
                      {t(
                        `customers.timeline.kinds.${(KINDS as readonly string[]).includes(e.kind) ? e.kind : 'other'}`,
                      )}
                    </Badge>
                    <strong className="pz-mono" dir="ltr">
                      {e.type}
                    </strong>
                    <span className="pz-muted">{f.date(e.at)}</span>
                    {e.channel_id && <span>{names.channel(e.channel_id)}</span>}
                    {e.location_id && <span>· {names.location(e.location_id)}</span>}
                    {e.order_id && (
                      <Link to={`/orders/${e.order_id}`} className="pz-mono">
                        {e.order_id}
                      </Link>
                    )}
                  </div>
                  {Object.keys(e.data).length > 0 && (
                    <details>
                      <summary>{t('customers.timeline.details')}</summary>
                      <pre dir="ltr">{JSON.stringify(e.data, null, 2)}</pre>
                    </details>
                  )}
                </li>
              ))}
            </ol>
            <Pager pager={pager} nextCursor={page.next_cursor} />
          </div>
        )
      }
    </QueryState>
  );
};

export default TimelineTab;
