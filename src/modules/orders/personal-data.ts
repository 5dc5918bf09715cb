/** Where the orders module keeps personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'orders',
    owner: 'id = ANY($2)',
    onErase: 'scrub',
    section: 'orders',
    // Totals, lines and states stay for accounting (a legal obligation); who and where do not.
    personal: { email: 'null', shipping_address: 'null', access_token_hash: 'null', cancel_reason: 'null' },
    notPersonal: [
      'id',
      'channel_id',
      'selling_location_id',
      'customer_id',
      'cart_id',
      'status',
      'payment_status',
      'fulfillment_type',
      'pickup_location_id',
      'currency',
      'discount_id',
      'discount_code',
    ],
    secret: ['access_token_hash'],
  },
  {
    table: 'order_lines',
    owner: 'order_id = ANY($2)',
    onErase: 'scrub',
    section: 'order_lines',
    personal: {},
    notPersonal: ['id', 'order_id', 'product_id', 'variant_id', 'sku', 'title'],
  },
  {
    table: 'fulfillments',
    owner: 'order_id = ANY($2)',
    onErase: 'scrub',
    section: 'fulfillments',
    personal: { tracking_number: 'null' },
    notPersonal: ['id', 'order_id', 'type', 'status', 'location_id', 'source_location_id', 'reservation_id'],
  },
  {
    table: 'fulfillment_lines',
    notPersonal: ['fulfillment_id', 'order_line_id', 'sku'],
    why: 'quantities per fulfilment; the fulfilment and its order carry the link to the person',
  },
];
