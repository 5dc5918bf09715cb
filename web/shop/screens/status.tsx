/** An order's status as a coloured badge (order list and order page). */
import { useTranslation } from 'react-i18next';
import type { components } from '../../kit/api.ts';
import { Badge } from '../../kit/ui.tsx';

type Order = components['schemas']['Order'];

const STATUS_TONE: Partial<Record<Order['status'], 'success' | 'danger' | 'warning' | 'info'>> = {
  confirmed: 'info',
  ready_for_pickup: 'success',
  picked_up: 'success',
  delivered: 'success',
  completed: 'success',
  cancelled: 'danger',
  expired: 'danger',
  pending_payment: 'warning',
};
export const StatusBadge = ({ status }: { status: Order['status'] }) => {
  const { t } = useTranslation();
  return <Badge tone={STATUS_TONE[status] ?? 'neutral'}>{t(`orders.status.${status}`)}</Badge>;
};
