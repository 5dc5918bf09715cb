/**
 * The strategy advisor (issue 15, docs/strategy.md): the questionnaire, the latest assessment (the
 * recommendation with its factors, the measures used, sensitivity, projections and next actions),
 * the history with comparisons, and the scoring model's weights. Owners and managers.
 */
import type { ComponentType } from 'react';
import type { ConsoleArea } from '../../frame/area.ts';

/** A route whose screen is loaded (as its own chunk) when first opened. */
const screen = (path: string, load: () => Promise<{ default: ComponentType }>) => ({
  path,
  lazy: () => load().then((m) => ({ Component: m.default })),
});

export const area: ConsoleArea = {
  id: 'strategy',
  order: 34,
  nav: [{ to: '/strategy', label: 'strategy.nav', roles: ['owner', 'manager'] }],
  routes: [
    screen('/strategy', () => import('./assessment.tsx')),
    screen('/strategy/assessments/:id', () => import('./assessment.tsx')),
    screen('/strategy/questionnaire', () => import('./questionnaire.tsx')),
    screen('/strategy/history', () => import('./history.tsx')),
    screen('/strategy/compare', () => import('./compare.tsx')),
    screen('/strategy/weights', () => import('./weights.tsx')),
  ],
};
