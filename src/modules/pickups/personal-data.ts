/** Where the pickups module keeps personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'pickups',
    owner: 'order_id = ANY($2)',
    onErase: 'scrub',
    section: 'pickups',
    personal: { code: 'redact' },
    notPersonal: ['order_id', 'location_id', 'channel_id', 'customer_id', 'status'],
    secret: ['code'],
  },
  {
    table: 'pickup_lines',
    notPersonal: ['fulfillment_id', 'order_id', 'sku', 'order_line_id'],
    why: 'quantities per pickup; the pickup and its order carry the link to the person',
  },
  {
    table: 'pickup_transfers',
    notPersonal: ['transfer_id', 'order_id', 'fulfillment_id'],
    why: 'links a pickup to the stock transfer that supplies it',
  },
  { table: 'store_settings', notPersonal: ['location_id'], why: 'per-store pickup settings' },
];
