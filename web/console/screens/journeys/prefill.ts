/**
 * A new journey prefilled from the page's query string, as the strategy advisor's accepted actions
 * open it: `/journeys?template=win_back&name=…&segment_id=seg_…&days_after=60` (also `idle_minutes`,
 * `hours_before`) opens the "New journey" dialog with those values. Unknown templates, parameters the
 * template does not take and values out of the API's bounds are left out.
 */
import { type Params, TEMPLATE_PARAMS, TEMPLATES, type Template } from './data.ts';

/** The API's bounds of the numeric parameters (src/flows/journeys). */
const BOUNDS = {
  idle_minutes: [5, 10_080],
  hours_before: [1, 720],
  days_after: [1, 365],
} as const;

export interface JourneyPrefill {
  template: Template;
  name: string;
  params: Params;
}

/** The dialog's starting values, or undefined when the query string asks for no new journey. */
export const prefillJourney = (q: URLSearchParams): JourneyPrefill | undefined => {
  const template = TEMPLATES.find((x) => x === q.get('template'));
  const name = (q.get('name') ?? '').trim().slice(0, 200);
  if (!template && !name && q.get('new') !== '1') return undefined;
  const chosen = template ?? 'abandoned_cart';
  const params: Params = {};
  for (const k of TEMPLATE_PARAMS[chosen]) {
    const v = q.get(k);
    if (v === null) continue;
    if (k === 'segment_id') {
      if (/^seg_\w+$/.test(v)) params.segment_id = v;
      continue;
    }
    const n = Number(v);
    const [min, max] = BOUNDS[k];
    if (Number.isInteger(n) && n >= min && n <= max) params[k] = n;
  }
  return { template: chosen, name, params };
};
