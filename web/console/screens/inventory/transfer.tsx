/** One transfer: its lines, and the next step (ship from the source, receive at the destination, cancel). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { ConfirmDialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import { StatusBadge, useLocationName } from './common.tsx';

const TransferPage = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const name = useLocationName();
  const toast = useToast();
  const qc = useQueryClient();
  const id = useParams().id ?? '';
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [receiving, setReceiving] = useState<Record<string, string>>({});
  const key = ['inventory', 'transfer', id];
  const query = useQuery({
    queryKey: key,
    queryFn: () => unwrap(staffApi.GET('/admin/inventory/transfers/{id}', { params: { path: { id } } })),
  });
  const act = useMutation({
    mutationFn: async (step: 'ship' | 'receive' | 'receive-part' | 'cancel') => {
      const path = { params: { path: { id } } };
      if (step === 'ship') return unwrap(staffApi.POST('/admin/inventory/transfers/{id}/ship', path));
      if (step === 'cancel')
        return unwrap(staffApi.POST('/admin/inventory/transfers/{id}/cancel', { ...path, body: {} }));
      const lines = Object.entries(receiving)
        .map(([sku, q]) => ({ sku, quantity: Number(q) }))
        .filter((l) => Number.isInteger(l.quantity) && l.quantity > 0);
      return unwrap(
        staffApi.POST('/admin/inventory/transfers/{id}/receive', {
          ...path,
          body: step === 'receive-part' ? { lines } : {},
        }),
      );
    },
    onSuccess: (tr, step) => {
      qc.setQueryData(key, tr);
      void qc.invalidateQueries({ queryKey: ['inventory'] });
      setReceiving({});
      setConfirmCancel(false);
      toast(t(`inventory.transfer.done.${step === 'receive-part' ? 'receive' : step}`), 'success');
    },
    onError: () => setConfirmCancel(false),
  });
  return (
    <div className="pz-stack">
      <Link to="/inventory/transfers">← {t('inventory.transfer.back')}</Link>
      <QueryState query={query} lines={6}>
        {(tr) => {
          const canReceive = tr.status === 'in_transit' || tr.status === 'partially_received';
          const someTyped = Object.values(receiving).some((q) => Number(q) > 0);
          return (
            <>
              <div className="pz-row">
                <h1>
                  {t('inventory.transfer.title', {
                    from: name(tr.from_location_id),
                    to: name(tr.to_location_id),
                  })}
                </h1>
                <StatusBadge status={tr.status} />
              </div>
              <p className="pz-muted">
                <span className="pz-mono">{tr.id}</span> · {f.date(tr.created_at)}
                {tr.shipped_at && ` · ${t('inventory.transfer.shippedAt', { at: f.date(tr.shipped_at) })}`}
                {tr.received_at && ` · ${t('inventory.transfer.receivedAt', { at: f.date(tr.received_at) })}`}
              </p>
              {tr.note && <p>{tr.note}</p>}
              {act.isError && <ProblemAlert error={act.error} />}
              <Card title={t('inventory.lines.legend')}>
                <div className="pz-table-wrap">
                  <table className="pz-table">
                    <caption className="visually-hidden">{t('inventory.lines.legend')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('inventory.fields.sku')}</th>
                        <th scope="col">{t('inventory.lines.quantity')}</th>
                        <th scope="col">{t('inventory.transfer.received')}</th>
                        <th scope="col">{t('inventory.transfers.inTransit')}</th>
                        {canReceive && <th scope="col">{t('inventory.transfer.receiveNow')}</th>}
                      </tr>
                    </thead>
                    <tbody>
                      {tr.lines.map((l) => (
                        <tr key={l.sku}>
                          <td className="pz-mono">{l.sku}</td>
                          <td className="pz-num">{f.number(l.quantity)}</td>
                          <td className="pz-num">{f.number(l.quantity_received)}</td>
                          <td className="pz-num">{f.number(l.in_transit)}</td>
                          {canReceive && (
                            <td>
                              <input
                                className="pz-input"
                                type="number"
                                min={0}
                                max={l.in_transit}
                                aria-label={t('inventory.transfer.receiveSku', { sku: l.sku })}
                                value={receiving[l.sku] ?? ''}
                                onChange={(e) => setReceiving((r) => ({ ...r, [l.sku]: e.target.value }))}
                              />
                            </td>
                          )}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </Card>
              <div className="pz-row">
                {tr.status === 'requested' && (
                  <>
                    <Button variant="primary" busy={act.isPending} onClick={() => act.mutate('ship')}>
                      {t('inventory.transfer.ship')}
                    </Button>
                    <Button variant="danger" onClick={() => setConfirmCancel(true)}>
                      {t('inventory.transfer.cancel')}
                    </Button>
                  </>
                )}
                {canReceive && (
                  <>
                    <Button variant="primary" busy={act.isPending} onClick={() => act.mutate('receive')}>
                      {t('inventory.transfer.receiveAll')}
                    </Button>
                    <Button
                      disabled={!someTyped}
                      busy={act.isPending}
                      onClick={() => act.mutate('receive-part')}
                    >
                      {t('inventory.transfer.receivePart')}
                    </Button>
                  </>
                )}
              </div>
            </>
          );
        }}
      </QueryState>
      <ConfirmDialog
        open={confirmCancel}
        onOpenChange={setConfirmCancel}
        title={t('inventory.transfer.cancelTitle')}
        description={t('inventory.transfer.cancelText')}
        confirmLabel={t('inventory.transfer.cancel')}
        busy={act.isPending}
        onConfirm={() => act.mutate('cancel')}
      />
    </div>
  );
};

export default TransferPage;
