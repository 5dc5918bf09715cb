/** Where the returns module keeps personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

const RETURNS_OF_PERSON = 'customer_id = ANY($1) OR order_id = ANY($2)';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'returns',
    owner: RETURNS_OF_PERSON,
    onErase: 'scrub',
    section: 'returns',
    personal: { reason: 'null' },
    notPersonal: [
      'id',
      'order_id',
      'channel_id',
      'customer_id',
      'location_id',
      'status',
      'refund_method',
      'exchange_order_id',
      'created_by',
      'currency',
    ],
  },
  {
    table: 'return_lines',
    owner: `return_id IN (SELECT id FROM returns WHERE ${RETURNS_OF_PERSON})`,
    onErase: 'scrub',
    section: 'return_lines',
    personal: {},
    notPersonal: ['id', 'return_id', 'order_line_id', 'sku', 'condition'],
  },
];
