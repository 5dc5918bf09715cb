/** The figures behind a suggestion, read from its open `detail` object (only numbers are taken). */
export const FIGURES = [
  'reorder_point',
  'order_up_to',
  'safety_stock',
  'demand_lead_time',
  'available',
  'inbound',
  'position',
  'lead_days',
  'review_days',
  'service_level',
] as const;
export type Figure = (typeof FIGURES)[number];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The reason code of a suggestion (`from_source`, `excess_elsewhere`, `below_reorder_point`), if any. */
export const reasonOf = (detail: Record<string, unknown>): string | null =>
  typeof detail.reason === 'string' ? detail.reason : null;

/** The policy's numeric figures of a suggestion's detail. */
export const policyOf = (detail: Record<string, unknown>): Partial<Record<Figure, number>> => {
  const p = detail.policy;
  if (!isRecord(p)) return {};
  const out: Partial<Record<Figure, number>> = {};
  for (const k of FIGURES) {
    const v = p[k];
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return out;
};
