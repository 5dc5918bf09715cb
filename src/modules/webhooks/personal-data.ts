/** The webhooks module keeps no personal data of its own (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'webhook_endpoints',
    notPersonal: ['id', 'url', 'description', 'event_types', 'secret', 'previous_secret'],
    why: "the retailer's receivers",
  },
  {
    table: 'webhook_deliveries',
    notPersonal: ['id', 'event_id', 'endpoint_id', 'status', 'last_error'],
    why: 'delivery attempts; the payloads are the outbox events, scrubbed there',
  },
];
