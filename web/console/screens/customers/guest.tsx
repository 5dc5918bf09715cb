/** Customer 360, guest history: guest orders and carts tied to the person by a verified e-mail or phone. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { DataTable } from '../../../kit/table.tsx';
import { Card } from '../../../kit/ui.tsx';
import { keys, useNames } from './data.ts';

const GuestTab = ({ id }: { id: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const names = useNames();
  const query = useQuery({
    queryKey: keys.part(id, 'guest'),
    queryFn: () => unwrap(staffApi.GET('/admin/customers/{id}/guest-history', { params: { path: { id } } })),
  });
  return (
    <div className="pz-stack">
      <p className="pz-muted">{t('customers.guestHistory.hint')}</p>
      <QueryState query={query} lines={4}>
        {(g) => (
          <div className="pz-stack">
            <Card title={t('customers.guestHistory.orders')}>
              <DataTable
                caption={t('customers.guestHistory.orders')}
                rowId={(o) => o.id}
                data={g.orders}
                empty={t('customers.guestHistory.noOrders')}
                columns={[
                  {
                    id: 'number',
                    header: t('customers.fields.order'),
                    cell: ({ row }) => <Link to={`/orders/${row.original.id}`}>#{row.original.number}</Link>,
                  },
                  {
                    id: 'channel',
                    header: t('customers.fields.channel'),
                    cell: ({ row }) => names.channel(row.original.channel_id),
                  },
                  {
                    id: 'status',
                    header: t('customers.fields.status'),
                    cell: ({ row }) => row.original.status,
                  },
                  {
                    id: 'total',
                    header: t('customers.fields.total'),
                    cell: ({ row }) => f.money(row.original.total, row.original.currency),
                  },
                  {
                    id: 'placed',
                    header: t('customers.fields.date'),
                    cell: ({ row }) => f.date(row.original.placed_at),
                  },
                ]}
              />
            </Card>
            <Card title={t('customers.guestHistory.carts')}>
              {g.cart_ids.length === 0 ? (
                <p className="pz-muted">{t('customers.guestHistory.noCarts')}</p>
              ) : (
                <ul className="cx-list pz-mono" dir="ltr">
                  {g.cart_ids.map((c) => (
                    <li key={c}>{c}</li>
                  ))}
                </ul>
              )}
            </Card>
          </div>
        )}
      </QueryState>
    </div>
  );
};

export default GuestTab;
