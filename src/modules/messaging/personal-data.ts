/** Where messaging keeps personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'message_sends',
    // The ledger row stays (the campaign's counts and the exactly-once guarantee need it); what
    // says who it went to, and the provider's trace, go.
    owner: 'customer_id = ANY($1)',
    onErase: 'scrub',
    section: 'messages',
    personal: { address: 'null', last_error: 'null', provider_message_id: 'null', payload: 'null' },
    notPersonal: [
      'id',
      'source_kind',
      'source_key',
      'campaign_id',
      'journey_id',
      'step_key',
      'customer_id',
      'medium',
      'variant',
      'status',
      'skip_reason',
      'delay_reason',
      'provider',
      'delivery',
      'converted_order_id',
    ],
  },
  {
    table: 'message_suppressions',
    notPersonal: ['hash', 'medium', 'reason', 'send_id'],
    why: 'keyed hashes (PLAZA_PRIVACY_KEY) of hard-bounced or complaining addresses, which must stay suppressed',
  },
  {
    table: 'message_endpoints',
    owner: 'customer_id = ANY($1)',
    onErase: 'delete',
    section: 'messaging_devices',
    personal: { address: 'redact', p256dh: 'null', auth: 'null', user_agent: 'null', anonymous_id: 'null' },
    notPersonal: ['id', 'customer_id', 'kind'],
    secret: ['p256dh', 'auth'],
  },
  {
    table: 'mailbox_messages',
    owner: 'customer_id = ANY($1)',
    onErase: 'delete',
    section: 'mailbox',
    personal: {
      to_address: 'redact',
      subject: 'redact',
      html: 'null',
      text_body: 'redact',
      headers: 'empty',
    },
    notPersonal: ['id', 'send_id', 'customer_id', 'from_address'],
  },
  {
    table: 'message_callbacks',
    owner: 'send_id IN (SELECT id FROM message_sends WHERE customer_id = ANY($1))',
    onErase: 'delete',
    section: 'message_callbacks',
    personal: { payload: 'empty' },
    notPersonal: ['provider', 'send_id', 'status'],
  },
];
