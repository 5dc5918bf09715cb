/** Where campaigns keep personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'audience_lists',
    notPersonal: ['id', 'name', 'refusals'],
    why: 'a list name and refused line numbers with reasons; members are customer ids in audience_list_members',
  },
  {
    table: 'audience_list_members',
    owner: 'customer_id = ANY($1)',
    onErase: 'delete',
    section: 'audience_lists',
    personal: {},
    notPersonal: ['list_id', 'customer_id'],
  },
  {
    table: 'campaigns',
    notPersonal: [
      'id',
      'name',
      'status',
      'kind',
      'segment_id',
      'list_id',
      'media',
      'variants',
      'schedule',
      'winner',
      'winner_variant',
      'throttle',
      'offer',
      'product_ids',
      'utm',
      'created_by',
    ],
    why: 'a campaign: its audience by reference, its templates and settings',
  },
  {
    table: 'campaign_stats',
    notPersonal: ['campaign_id', 'variant', 'medium', 'metric'],
    why: 'counts per campaign, variant, medium and metric',
  },
  {
    table: 'campaign_plan_lanes',
    notPersonal: ['campaign_id', 'after_id', 'upto_id', 'done_at'],
    why: "a campaign's planning ranges: bounds by customer id (an opaque key), no personal value",
  },
  {
    table: 'offer_codes',
    // the code row stays (its redemptions refer to it); a code of an erased customer is refused
    owner: 'customer_id = ANY($1)',
    onErase: 'scrub',
    section: 'offer_codes',
    personal: {},
    notPersonal: ['code', 'campaign_id', 'discount_id', 'customer_id', 'send_id', 'print_run_id'],
  },
  {
    table: 'offer_redemptions',
    owner: 'customer_id = ANY($1) OR order_id = ANY($2)',
    onErase: 'scrub',
    section: 'offer_codes',
    personal: {},
    notPersonal: ['id', 'code', 'campaign_id', 'customer_id', 'order_id', 'channel_id', 'location_id'],
  },
  {
    table: 'print_runs',
    notPersonal: ['id', 'campaign_id', 'per'],
    why: 'a print run: its campaign and size; the addresses are read at download time and never stored',
  },
  {
    table: 'placements',
    notPersonal: ['slot', 'name', 'description', 'surface'],
    why: 'banner slots of the shop and app',
  },
];
