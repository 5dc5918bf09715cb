/** One purchase order (GET /admin/purchase-orders/:id): supplier, location, dates, its lines, next steps. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Card } from '../../../kit/ui.tsx';
import { useLocationName } from '../inventory/common.tsx';
import { atNoon, forecastKeys, type PurchaseOrder } from './data.ts';
import { ForecastingPage } from './page.tsx';
import { PoActions, PoStatus } from './po-actions.tsx';

type Line = PurchaseOrder['lines'][number];

const PurchaseOrderScreen = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const name = useLocationName();
  const id = useParams().id ?? '';
  const po = useQuery({
    queryKey: forecastKeys.purchaseOrder(id),
    queryFn: () => unwrap(staffApi.GET('/admin/purchase-orders/{id}', { params: { path: { id } } })),
  });
  const columns: ColumnDef<Line, unknown>[] = [
    {
      header: t('forecasting.fields.sku'),
      cell: ({ row }) => <span className="pz-mono">{row.original.sku}</span>,
    },
    { header: t('forecasting.fields.quantity'), cell: ({ row }) => f.number(row.original.quantity) },
    { header: t('forecasting.po.received'), cell: ({ row }) => f.number(row.original.quantity_received) },
    { header: t('forecasting.po.outstanding'), cell: ({ row }) => f.number(row.original.outstanding) },
  ];
  return (
    <ForecastingPage>
      <Link to="/forecasting/purchase-orders">{t('forecasting.po.back')}</Link>
      <QueryState query={po} lines={6}>
        {(o) => (
          <Card
            title={t('forecasting.po.heading', { supplier: o.supplier_name, location: name(o.location_id) })}
            actions={<PoActions po={o} />}
          >
            <dl className="fc-stats" data-testid="po-detail">
              <div>
                <dt>{t('forecasting.po.statusLabel')}</dt>
                <dd data-testid="po-detail-status">
                  <PoStatus status={o.status} />
                </dd>
              </div>
              <div>
                <dt>{t('forecasting.po.number')}</dt>
                <dd className="pz-mono">{o.id}</dd>
              </div>
              <div>
                <dt>{t('forecasting.po.expected')}</dt>
                <dd>{f.day(atNoon(o.expected_on))}</dd>
              </div>
              <div>
                <dt>{t('forecasting.po.created')}</dt>
                <dd>{f.date(o.created_at)}</dd>
              </div>
              {o.ordered_at && (
                <div>
                  <dt>{t('forecasting.po.orderedAt')}</dt>
                  <dd>{f.date(o.ordered_at)}</dd>
                </div>
              )}
              {o.received_at && (
                <div>
                  <dt>{t('forecasting.po.receivedAt')}</dt>
                  <dd>{f.date(o.received_at)}</dd>
                </div>
              )}
            </dl>
            {o.note && <p>{o.note}</p>}
            <DataTable
              caption={t('forecasting.po.lines')}
              columns={columns}
              data={o.lines}
              rowId={(r) => r.sku}
            />
          </Card>
        )}
      </QueryState>
    </ForecastingPage>
  );
};

export default PurchaseOrderScreen;
