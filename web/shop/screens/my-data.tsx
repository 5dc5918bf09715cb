/**
 * "My data": the shopper's requests about their personal data (export, erasure), their status and
 * deadline, and the export document to download once the retailer has processed it (kept 7 days).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type components, unwrap } from '../../kit/api.ts';
import { useFormat } from '../../kit/format.ts';
import { ConfirmDialog } from '../../kit/overlay.tsx';
import { QueryState } from '../../kit/states.tsx';
import { Badge, Button, Card, EmptyState } from '../../kit/ui.tsx';
import { ShopProblem } from '../problem.tsx';
import { useShop } from '../session.tsx';

type Request = components['schemas']['PrivacyRequest'];

const download = (name: string, data: unknown) => {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

const RequestRow = ({ r }: { r: Request }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const { api } = useShop();
  const fetchExport = useMutation({
    mutationFn: () =>
      unwrap(api.GET('/store/customers/me/requests/{id}/export', { params: { path: { id: r.id } } })),
    onSuccess: (doc) => download(`plaza-export-${r.id}.json`, doc),
  });
  const exportReady =
    r.kind === 'export' &&
    r.status === 'completed' &&
    r.export_expires_at !== null &&
    new Date(r.export_expires_at) > new Date();
  return (
    <li>
      <div className="shop-item">
        <strong>{t(`myData.kinds.${r.kind}`, { defaultValue: r.kind })}</strong>
        <Badge tone={r.status === 'completed' ? 'success' : r.status === 'rejected' ? 'danger' : 'neutral'}>
          {t(`myData.status.${r.status}`, { defaultValue: r.status })}
        </Badge>
        <span className="pz-muted">{t('myData.received', { at: f.day(r.received_at) })}</span>
        {r.status === 'received' && (
          <span className="pz-muted">{t('myData.due', { at: f.day(r.due_at) })}</span>
        )}
        {r.rejection_reason && <span className="pz-muted">{r.rejection_reason}</span>}
        <span className="pz-spacer" />
        {exportReady && r.export_expires_at && (
          <Button onClick={() => fetchExport.mutate()} busy={fetchExport.isPending}>
            {t('myData.download', { until: f.day(r.export_expires_at) })}
          </Button>
        )}
      </div>
      {fetchExport.isError && <ShopProblem error={fetchExport.error} />}
    </li>
  );
};

const MyData = () => {
  const { t } = useTranslation();
  const { api } = useShop();
  const qc = useQueryClient();
  const [confirmErase, setConfirmErase] = useState(false);
  const requests = useQuery({
    queryKey: ['privacy-requests'],
    queryFn: () => unwrap(api.GET('/store/customers/me/requests', { params: { query: { limit: 50 } } })),
  });
  const file = useMutation({
    mutationFn: (kind: 'export' | 'erase') =>
      unwrap(api.POST('/store/customers/me/requests', { body: { kind } })),
    onSettled: () => {
      setConfirmErase(false);
      void qc.invalidateQueries({ queryKey: ['privacy-requests'] });
    },
  });
  return (
    <div className="pz-stack">
      <h1>{t('myData.title')}</h1>
      <Card title={t('myData.askTitle')}>
        <p>{t('myData.intro')}</p>
        <div className="pz-row">
          <Button
            variant="primary"
            onClick={() => file.mutate('export')}
            busy={file.isPending && file.variables === 'export'}
          >
            {t('myData.requestExport')}
          </Button>
          <Button variant="danger" onClick={() => setConfirmErase(true)}>
            {t('myData.requestErase')}
          </Button>
        </div>
        {file.isError && <ShopProblem error={file.error} />}
      </Card>
      <Card title={t('myData.requests')}>
        <QueryState query={requests}>
          {(d) =>
            d.data.length === 0 ? (
              <EmptyState title={t('myData.none')} />
            ) : (
              <ul className="shop-list">
                {d.data.map((r) => (
                  <RequestRow key={r.id} r={r} />
                ))}
              </ul>
            )
          }
        </QueryState>
      </Card>
      <ConfirmDialog
        open={confirmErase}
        onOpenChange={setConfirmErase}
        title={t('myData.eraseTitle')}
        description={t('myData.eraseText')}
        confirmLabel={t('myData.eraseConfirm')}
        onConfirm={() => file.mutate('erase')}
        busy={file.isPending && file.variables === 'erase'}
      />
    </div>
  );
};

export default MyData;
