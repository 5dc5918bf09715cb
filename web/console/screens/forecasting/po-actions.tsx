/**
 * The next steps of a purchase order: order a draft (sent to the supplier), receive what is still
 * outstanding, cancel (a draft or an ordered one, after a confirmation). Each answers the order.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { ConfirmDialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Badge, Button, ProblemAlert } from '../../../kit/ui.tsx';
import { forecastKeys, type PurchaseOrder, type PurchaseOrderStatus } from './data.ts';

const TONE: Record<PurchaseOrderStatus, 'neutral' | 'info' | 'warning' | 'success'> = {
  draft: 'neutral',
  ordered: 'info',
  partially_received: 'warning',
  received: 'success',
  cancelled: 'neutral',
};

export const PoStatus = ({ status }: { status: PurchaseOrderStatus }) => {
  const { t } = useTranslation();
  return <Badge tone={TONE[status]}>{t(`forecasting.po.status.${status}`)}</Badge>;
};

type Step = 'order' | 'receive' | 'cancel';

export const PoActions = ({ po }: { po: PurchaseOrder }) => {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const act = useMutation({
    mutationFn: (step: Step) => {
      const path = { params: { path: { id: po.id } } };
      if (step === 'order') return unwrap(staffApi.POST('/admin/purchase-orders/{id}/order', path));
      if (step === 'cancel')
        return unwrap(staffApi.POST('/admin/purchase-orders/{id}/cancel', { ...path, body: {} }));
      const lines = po.lines
        .filter((l) => l.outstanding > 0)
        .map((l) => ({ sku: l.sku, quantity: l.outstanding }));
      return unwrap(staffApi.POST('/admin/purchase-orders/{id}/receive', { ...path, body: { lines } }));
    },
    onSuccess: (next, step) => {
      setConfirm(false);
      qc.setQueryData(forecastKeys.purchaseOrder(po.id), next);
      toast(t(`forecasting.po.done.${step}`), 'success');
      void qc.invalidateQueries({ queryKey: ['inventory'] });
      return qc.invalidateQueries({ queryKey: forecastKeys.all });
    },
    onError: () => setConfirm(false),
  });
  const canOrder = po.status === 'draft';
  const canReceive = (po.status === 'ordered' || po.status === 'partially_received') && po.outstanding > 0;
  const canCancel = po.status === 'draft' || po.status === 'ordered';
  if (!canOrder && !canReceive && !canCancel) return null;
  return (
    <span className="pz-stack">
      <span className="pz-row">
        {canOrder && (
          <Button
            variant="primary"
            onClick={() => act.mutate('order')}
            busy={act.isPending && act.variables === 'order'}
            data-testid="po-order"
          >
            {t('forecasting.po.order')}
          </Button>
        )}
        {canReceive && (
          <Button
            variant="primary"
            onClick={() => act.mutate('receive')}
            busy={act.isPending && act.variables === 'receive'}
            data-testid="po-receive"
          >
            {t('forecasting.po.receive')}
          </Button>
        )}
        {canCancel && (
          <Button variant="danger" onClick={() => setConfirm(true)} data-testid="po-cancel">
            {t('forecasting.po.cancel')}
          </Button>
        )}
      </span>
      {act.isError && <ProblemAlert error={act.error} />}
      <ConfirmDialog
        open={confirm}
        onOpenChange={setConfirm}
        title={t('forecasting.po.cancelTitle')}
        description={t('forecasting.po.cancelText', { supplier: po.supplier_name })}
        confirmLabel={t('forecasting.po.cancel')}
        onConfirm={() => act.mutate('cancel')}
        busy={act.isPending && act.variables === 'cancel'}
      />
    </span>
  );
};
