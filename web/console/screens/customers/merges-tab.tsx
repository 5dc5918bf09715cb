/** Customer 360, merges: every merge the person took part in, as survivor or as the merged profile. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { DataTable } from '../../../kit/table.tsx';
import { Badge } from '../../../kit/ui.tsx';
import { keys } from './data.ts';

const MergesTab = ({ id }: { id: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const query = useQuery({
    queryKey: keys.part(id, 'merges'),
    queryFn: () => unwrap(staffApi.GET('/admin/customers/{id}/merges', { params: { path: { id } } })),
  });
  return (
    <QueryState query={query} lines={3}>
      {(m) => (
        <DataTable
          caption={t('customers.tabs.merges')}
          data={m.data}
          rowId={(r) => r.id}
          empty={t('customers.merges.empty')}
          columns={[
            {
              id: 'id',
              header: t('customers.merges.merge'),
              cell: ({ row }) => (
                <Link to={`/customers/merges/${row.original.id}`} className="pz-mono">
                  {row.original.id}
                </Link>
              ),
            },
            {
              id: 'role',
              header: t('customers.merges.role'),
              cell: ({ row }) =>
                row.original.survivor_id === id
                  ? t('customers.merges.asSurvivor')
                  : t('customers.merges.asMerged'),
            },
            {
              id: 'other',
              header: t('customers.merges.other'),
              cell: ({ row }) => {
                const other =
                  row.original.survivor_id === id ? row.original.merged_id : row.original.survivor_id;
                return (
                  <Link to={`/customers/${other}`} className="pz-mono">
                    {other}
                  </Link>
                );
              },
            },
            {
              id: 'status',
              header: t('customers.fields.status'),
              cell: ({ row }) => (
                <Badge tone={row.original.undone_at ? 'warning' : 'success'}>
                  {row.original.undone_at ? t('customers.merges.undone') : t('customers.merges.merged')}
                </Badge>
              ),
            },
            {
              id: 'at',
              header: t('customers.fields.date'),
              cell: ({ row }) => f.date(row.original.created_at),
            },
            {
              id: 'reason',
              header: t('customers.merges.reason'),
              cell: ({ row }) => row.original.reason ?? '',
            },
          ]}
        />
      )}
    </QueryState>
  );
};

export default MergesTab;
