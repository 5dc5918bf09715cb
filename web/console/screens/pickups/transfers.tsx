/**
 * Stock coming to a pickup by transfer: ship it from the source (its staff) and receive it at the
 * store, through the pickup endpoints that hold the units for the order as they arrive.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { staffApi } from '../../../kit/session.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, ProblemAlert } from '../../../kit/ui.tsx';
import { StatusBadge, useLocationName } from '../inventory/common.tsx';
import { type Pickup, queueKey } from './queue-table.tsx';

export const PickupTransfers = ({ pickup }: { pickup: Pickup }) => {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const name = useLocationName();
  const act = useMutation({
    mutationFn: ({ transferId, step }: { transferId: string; step: 'ship' | 'receive' }) => {
      const params = { params: { path: { id: pickup.order_id, transferId } } };
      return step === 'ship'
        ? unwrap(staffApi.POST('/admin/orders/{id}/pickup/transfers/{transferId}/ship', params))
        : unwrap(staffApi.POST('/admin/orders/{id}/pickup/transfers/{transferId}/receive', params));
    },
    onSuccess: (_r, v) => {
      toast(t(`pickups.transfers.${v.step === 'ship' ? 'shipped' : 'received'}`), 'success');
      void qc.invalidateQueries({ queryKey: queueKey(pickup.location_id) });
    },
  });
  const open = pickup.transfers.filter((x) => !x.received);
  if (open.length === 0) return null;
  return (
    <div className="pz-stack">
      {open.map((x) => (
        <div key={x.transfer_id} className="pz-row">
          <span className="pz-muted">
            {t('pickups.transfers.from', { location: name(x.from_location_id) })}
          </span>
          <StatusBadge status={x.status} />
          {x.status === 'requested' && (
            <Button
              busy={act.isPending && act.variables?.transferId === x.transfer_id}
              onClick={() => act.mutate({ transferId: x.transfer_id, step: 'ship' })}
            >
              {t('pickups.transfers.ship')}
            </Button>
          )}
          {(x.status === 'in_transit' || x.status === 'partially_received') && (
            <Button
              busy={act.isPending && act.variables?.transferId === x.transfer_id}
              onClick={() => act.mutate({ transferId: x.transfer_id, step: 'receive' })}
            >
              {t('pickups.transfers.receive')}
            </Button>
          )}
        </div>
      ))}
      {act.isError && <ProblemAlert error={act.error} />}
    </div>
  );
};
