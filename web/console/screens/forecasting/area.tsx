/**
 * Forecasting and replenishment: the demand forecast of every SKU × location (with its history,
 * intervals and backtest), the suggested transfers and purchase orders, the items at risk of running
 * out, suppliers and purchase orders, and the settings. Owners and managers.
 */
import type { ComponentType } from 'react';
import type { ConsoleArea } from '../../frame/area.ts';

/** A route whose screen is loaded (as its own chunk) when first opened. */
const screen = (path: string, load: () => Promise<{ default: ComponentType }>) => ({
  path,
  lazy: () => load().then((m) => ({ Component: m.default })),
});

export const area: ConsoleArea = {
  id: 'forecasting',
  order: 32,
  nav: [{ to: '/forecasting', label: 'forecasting.nav', roles: ['owner', 'manager'] }],
  routes: [
    screen('/forecasting', () => import('./forecasts.tsx')),
    screen('/forecasting/series', () => import('./series.tsx')),
    screen('/forecasting/replenishment', () => import('./replenishment.tsx')),
    screen('/forecasting/at-risk', () => import('./at-risk.tsx')),
    screen('/forecasting/suppliers', () => import('./suppliers.tsx')),
    screen('/forecasting/purchase-orders', () => import('./purchase-orders.tsx')),
    screen('/forecasting/purchase-orders/:id', () => import('./purchase-order.tsx')),
    screen('/forecasting/settings', () => import('./settings.tsx')),
  ],
};
