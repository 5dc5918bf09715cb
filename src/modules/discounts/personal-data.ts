/** The discounts module keeps no personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'discounts',
    notPersonal: ['id', 'code', 'type', 'channel_ids', 'currency'],
    why: 'campaign codes',
  },
  {
    table: 'discount_redemptions',
    notPersonal: ['id', 'discount_id', 'order_id', 'status'],
    why: 'counts uses of a code; the order carries the link to the person',
  },
];
