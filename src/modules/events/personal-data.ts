/** Where the events module keeps personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

/** The person's device (anonymous) and external (userId) identities, including unlinked ones. */
const identityValues = (kind: 'anonymous' | 'external'): string =>
  `(SELECT value FROM customer_identities WHERE kind = '${kind}' AND customer_id = ANY($1))`;

export const personalData: PersonalDataDeclaration = [
  {
    table: 'events',
    owner: `customer_id = ANY($1) OR anonymous_id IN ${identityValues('anonymous')} OR user_id IN ${identityValues('external')}`,
    onErase: 'delete',
    section: 'events',
    personal: {
      user_id: 'null',
      anonymous_id: 'null',
      group_id: 'null',
      previous_id: 'null',
      properties: 'empty',
      traits: 'empty',
      context: 'empty',
    },
    notPersonal: [
      'source_id',
      'channel_id',
      'location_id',
      'origin',
      'message_id',
      'type',
      'event',
      'customer_id',
      'flags',
    ],
  },
  {
    table: 'event_message_ids',
    notPersonal: ['source_id', 'message_id'],
    why: 'the ids SDKs generate for each message (random UUIDs), kept a few days for de-duplication',
  },
  {
    table: 'event_identity_queue',
    owner: `anonymous_id IN ${identityValues('anonymous')} OR user_id IN ${identityValues('external')}`,
    onErase: 'delete',
    section: 'events',
    personal: { user_id: 'null', anonymous_id: 'null', previous_id: 'null', traits: 'empty' },
    notPersonal: ['source_id', 'channel_id', 'type', 'last_error'],
  },
  {
    table: 'event_refusals',
    owner: `anonymous_id IN ${identityValues('anonymous')} OR user_id IN ${identityValues('external')}`,
    onErase: 'delete',
    section: 'events',
    personal: { user_id: 'null', anonymous_id: 'null', excerpt: 'null' },
    notPersonal: ['source_id', 'write_key_id', 'code', 'reason', 'message_type', 'message_id'],
  },
  {
    table: 'event_sources',
    notPersonal: ['id', 'name', 'kind', 'channel_id'],
    why: "the retailer's configuration of where events come from",
  },
  {
    table: 'event_write_keys',
    notPersonal: ['id', 'source_id', 'key'],
    why: 'public write keys of the sources',
  },
];
