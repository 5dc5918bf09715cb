/** Personal data in the platform's own tables: events, idempotency records, state histories (see personal-data.ts). */
import type { PersonalDataDeclaration } from './personal-data.ts';

/** Keys of event payloads and transition data that can hold personal data or free text about a person. */
export const PERSONAL_KEYS: readonly string[] = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'name',
  'address',
  'shipping_address',
  'ip',
  'user_agent',
  'token',
  'value',
  'note',
  'reason',
  'tracking_number',
  'code',
  'card_number',
  'display',
];

export const personalData: PersonalDataDeclaration = [
  {
    table: 'outbox_events',
    owner: `data ->> 'customer_id' = ANY($1) OR data ->> 'order_id' = ANY($2) OR data ->> 'cart_id' = ANY($3)
      OR aggregate_id = ANY($1) OR aggregate_id = ANY($2) OR aggregate_id = ANY($3)`,
    onErase: 'scrub',
    section: 'events',
    // Already-delivered webhooks cannot be recalled: receivers act on customer.erased (docs/privacy.md).
    personal: { data: { removeKeys: PERSONAL_KEYS } },
    notPersonal: ['id', 'type', 'aggregate_type', 'aggregate_id', 'status', 'last_error'],
  },
  {
    table: 'idempotency_keys',
    // Completed answers repeat what the request created (orders with e-mail and address, handovers,
    // POS payments, returns). They are kept 24 hours (the retention sweeper) and deleted on erasure.
    owner: `resource_id = ANY($1) OR resource_id = ANY($2) OR resource_id = ANY($3)
      OR split_part(scope, ':', 2) = ANY($2) OR split_part(scope, ':', 2) = ANY($3)
      OR EXISTS (SELECT 1 FROM unnest($2::text[] || $1::text[]) AS o(id)
                 WHERE strpos(response_body::text, '"' || o.id || '"') > 0)`,
    onErase: 'delete',
    section: 'idempotency_records',
    personal: { response_body: 'null' },
    notPersonal: ['scope', 'key', 'request_hash', 'status', 'resource_id'],
    secret: ['response_body', 'request_hash'],
  },
  {
    table: 'state_transitions',
    owner: 'entity_id = ANY($1) OR entity_id = ANY($2) OR entity_id = ANY($3)',
    onErase: 'scrub',
    section: 'state_transitions',
    personal: { reason: 'null', data: { removeKeys: PERSONAL_KEYS } },
    notPersonal: ['id', 'machine', 'entity_type', 'entity_id', 'from_state', 'to_state', 'actor'],
  },
  {
    // Abuse-limit counters (rate-limit.ts): subjects are keyed hashes of an IP address, an e-mail, a
    // channel, a write key or an order, kept only until their window ends (a minute to ten minutes).
    // An account's subject is the login throttle's hash of its e-mail, so erasure finds it ($4).
    table: 'rate_limit_counters',
    owner: 'subject = ANY($4)',
    onErase: 'delete',
    section: 'rate_limits',
    personal: { subject: 'null' },
    notPersonal: ['bucket'],
  },
  {
    table: 'consumed_events',
    notPersonal: ['event_id', 'consumer'],
    why: 'which consumer handled which event',
  },
  { table: 'plaza_settings', notPersonal: ['key', 'value'], why: 'configuration' },
  { table: 'plaza_migrations', notPersonal: ['name', 'checksum'], why: 'schema history' },
];
