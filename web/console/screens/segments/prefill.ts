/**
 * A new segment prefilled from the page's query string, as the strategy advisor's accepted actions
 * open the builder: `/segments/new?template=lapsed_single_channel&name=…&description=…`. A template is a
 * starting rule tree the person can still change; an unknown template leaves the builder's default.
 */
import type { Rules } from './data.ts';

const bought = (days: number): Rules => ({ orders: { count: { op: 'gte', value: 1 }, within: { days } } });

/** The starting rules of each template. */
export const SEGMENT_TEMPLATES = {
  /** Bought through one kind of channel only (online or in store), not in the last 180 days. */
  lapsed_single_channel: {
    all: [
      {
        any: [
          { channelMix: { online: true, inStore: false } },
          { channelMix: { online: false, inStore: true } },
        ],
      },
      bought(730),
      { not: bought(180) },
    ],
  },
  /** Bought online and in a store. */
  multichannel: { channelMix: { online: true, inStore: true } },
  /** Bought online, never in a store. */
  online_only: { channelMix: { online: true, inStore: false } },
  /** Bought in a store, never online. */
  store_only: { channelMix: { online: false, inStore: true } },
  /** Two or more orders in the last year. */
  repeat_buyers: { orders: { count: { op: 'gte', value: 2 }, within: { days: 365 } } },
  /** Members of the loyalty program. */
  loyalty_members: { loyalty: { enrolled: true } },
} satisfies Record<string, Rules>;
export type SegmentTemplate = keyof typeof SEGMENT_TEMPLATES;

const isTemplate = (v: string | null): v is SegmentTemplate => !!v && Object.hasOwn(SEGMENT_TEMPLATES, v);

/** The builder's starting name, description and rules, with what the query string says. */
export const prefillSegment = (
  q: URLSearchParams,
  start: Rules,
): { name: string; description: string; rules: Rules } => {
  const template = q.get('template');
  return {
    name: (q.get('name') ?? '').trim().slice(0, 200),
    description: (q.get('description') ?? '').trim().slice(0, 1000),
    rules: isTemplate(template) ? SEGMENT_TEMPLATES[template] : start,
  };
};
