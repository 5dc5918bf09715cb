/** Where the POS module keeps personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'pos_sales',
    owner: 'customer_id = ANY($1) OR order_id = ANY($2)',
    onErase: 'scrub',
    section: 'pos_sales',
    personal: {},
    // staff_name is the cashier's, not the customer's.
    notPersonal: [
      'id',
      'channel_id',
      'location_id',
      'cart_id',
      'customer_id',
      'order_id',
      'status',
      'staff_token_id',
      'staff_name',
    ],
  },
  {
    table: 'pos_sale_lines',
    notPersonal: ['id', 'sale_id', 'sku'],
    why: 'lines of a sale; the sale carries the link',
  },
];
