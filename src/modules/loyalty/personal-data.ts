/** Where the loyalty module keeps personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'loyalty_accounts',
    owner: 'customer_id = ANY($1)',
    onErase: 'scrub',
    section: 'loyalty_accounts',
    personal: { card_number: 'null' },
    notPersonal: ['customer_id'],
  },
  {
    table: 'loyalty_ledger',
    owner: 'customer_id = ANY($1)',
    onErase: 'scrub',
    section: 'loyalty_ledger',
    personal: {
      note: 'null',
      data: { removeKeys: ['note', 'reason', 'email', 'phone', 'name', 'card_number'] },
    },
    notPersonal: ['id', 'customer_id', 'kind', 'order_id', 'reference', 'currency'],
  },
];
