/** Payments across modules: the reconciler that settles payments whose provider answer was lost. */
import type { PlazaModule } from '../../platform/module.ts';
import { paymentReconciler } from './reconcile.ts';

export {
  paymentReconciler,
  reconcileGraceMs,
  reconcilePayment,
  reconcileStalePayments,
} from './reconcile.ts';
export { recordMissedCapture } from './record.ts';

export const paymentsFlow: PlazaModule = {
  name: 'payments',
  jobs: (deps) => [paymentReconciler(deps)],
};
