/** Where the carts module keeps personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'carts',
    owner: 'id = ANY($3)',
    onErase: 'scrub',
    section: 'carts',
    personal: { email: 'null', anonymous_id: 'null', fulfillment: 'null', token_hash: 'null' },
    notPersonal: [
      'id',
      'customer_id',
      'origin_channel_id',
      'status',
      'merged_into',
      'order_id',
      'discount_code',
    ],
    secret: ['token_hash'],
  },
  {
    table: 'cart_lines',
    owner: 'cart_id = ANY($3)',
    onErase: 'scrub',
    section: 'cart_lines',
    personal: {},
    notPersonal: ['id', 'cart_id', 'sku', 'channel_id'],
  },
];
