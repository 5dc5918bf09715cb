/** Where the payments module keeps personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'payments',
    owner: 'order_id = ANY($2)',
    onErase: 'scrub',
    section: 'payments',
    // Amounts, states and the provider's reference stay for accounting; the card's brand and digits go.
    personal: { display: 'null' },
    notPersonal: [
      'id',
      'order_id',
      'provider',
      'status',
      'reference',
      'failure_reason',
      'currency',
      'provider_action',
    ],
  },
  {
    table: 'refunds',
    owner: 'order_id = ANY($2)',
    onErase: 'scrub',
    section: 'refunds',
    personal: { reason: 'redact' },
    notPersonal: [
      'id',
      'order_id',
      'payment_id',
      'return_id',
      'method',
      'reference',
      'status',
      'failure_reason',
      'currency',
    ],
  },
  {
    table: 'sandbox_card_payments',
    notPersonal: ['payment_id', 'reference', 'status', 'capture_reference'],
    why: 'what the test-card sandbox provider remembers about a payment id (no card data)',
  },
];
