/**
 * The published format of the data export (GDPR articles 15 and 20): one JSON document, described
 * by this JSON Schema (also at docs/customer-export.schema.json, kept equal by a test). `records`
 * holds every row that the registry of personal data ties to the person, by section; the other
 * members are readable views of the same data.
 */
import { Type } from '@sinclair/typebox';

const Row = Type.Record(Type.String(), Type.Unknown());
const Rows = (description: string) => Type.Array(Row, { description });

export const EXPORT_FORMAT = 'plaza.customer-export';
export const EXPORT_VERSION = 2;

export const ExportDocument = Type.Object(
  {
    format: Type.Literal(EXPORT_FORMAT),
    version: Type.Literal(EXPORT_VERSION),
    generated_at: Type.String({ format: 'date-time' }),
    customer_id: Type.String({ description: 'The customer the request was filed for' }),
    customer_ids: Type.Array(Type.String(), { description: 'With every profile merged into them' }),
    profiles: Rows('Profiles with identities (e-mails, phones, cards, devices) and addresses'),
    sessions: Rows('Logins: channel, device, when (never token hashes)'),
    orders: Rows('Orders with lines, fulfillments and payments, own and guest'),
    carts: Rows('Carts with their lines, own, of their devices, and guest carts with their e-mail'),
    consents: Rows('Every consent change with its proof'),
    loyalty: Type.Object({ account: Type.Union([Row, Type.Null()]), ledger: Rows('Points ledger') }),
    merges: Rows('Profile merges that involved the person'),
    requests: Rows('Their data requests'),
    guest_history: Type.Object(
      {
        orders: Rows('Guest orders placed with one of their verified e-mails or phones'),
        cart_ids: Type.Array(Type.String()),
      },
      { description: 'Guest orders and carts tied to the person by a verified e-mail or phone' },
    ),
    records: Type.Record(Type.String(), Rows('Rows of one section'), {
      description:
        'Every row the registry of personal data ties to the person, by section: profiles, identities, ' +
        'addresses, sessions, login_failures, orders, order_lines, fulfillments, payments, refunds, ' +
        'returns, return_lines, pickups, pos_sales, carts, cart_lines, consents, loyalty_accounts, ' +
        'loyalty_ledger, store_credit_balances, store_credit_entries, merges, merge_moves, ' +
        'privacy_requests, events, idempotency_records, state_transitions',
    }),
    timeline: Rows('Everything that happened, across channels, newest first'),
  },
  { $id: 'CustomerExport', description: 'Everything Plaza holds on the person, as one JSON document' },
);
