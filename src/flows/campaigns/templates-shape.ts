/**
 * What a template may use: the shape of a recipient context (templates.ts RecipientContext), and
 * the fields of each medium's content. Checked statically by templates-check.ts.
 */
import type { Medium } from '../../modules/messaging/types.ts';

export type Shape =
  | { kind: 'scalar' }
  /** free-form values (traits): any path below is accepted */
  | { kind: 'any' }
  | { kind: 'list'; of: Shape }
  | { kind: 'object'; fields: Record<string, Shape> };

const scalar: Shape = { kind: 'scalar' };
const any: Shape = { kind: 'any' };
const object = (fields: Record<string, Shape>): Shape => ({ kind: 'object', fields });
const scalars = (...names: string[]): Shape => object(Object.fromEntries(names.map((n) => [n, scalar])));

/** The variables of every template (documented in docs/campaigns.md, "Templates and personalisation"). */
export const CONTEXT_SHAPE: Record<string, Shape> = {
  customer: object({
    id: scalar,
    first_name: scalar,
    last_name: scalar,
    email: scalar,
    locale: scalar,
    traits: any,
    computed: any,
  }),
  store: scalars('id', 'name', 'city'),
  products: {
    kind: 'list',
    of: scalars('id', 'title', 'price', 'url', 'image_url', 'in_stock_at_store', 'available_at_store'),
  },
  offer: scalars('code', 'description'),
  campaign: scalars('id', 'name'),
  links: scalars('unsubscribe', 'shop'),
};

/** Names Liquid itself defines inside loops. */
export const LOOP_NAMES = new Set(['forloop', 'tablerowloop']);

export type Field =
  | 'subject'
  | 'preheader'
  | 'html'
  | 'text'
  | 'title'
  | 'body'
  | 'url'
  | 'image_url'
  | 'slot';

/** The fields each medium's content may have. */
export const MEDIUM_FIELDS: Record<Medium, readonly Field[]> = {
  email: ['subject', 'preheader', 'html', 'text'],
  sms: ['text'],
  push: ['title', 'body', 'url'],
  web_push: ['title', 'body', 'url'],
  banner: ['slot', 'title', 'body', 'image_url', 'url'],
  in_app: ['slot', 'title', 'body', 'image_url', 'url'],
  pos: ['title', 'body'],
  print: ['title', 'body'],
  ads: [],
};

/** Fields that must be present: each inner list is "one of these". */
export const REQUIRED: Record<Medium, readonly (readonly Field[])[]> = {
  email: [['subject'], ['html', 'text']],
  sms: [['text']],
  push: [['title'], ['body']],
  web_push: [['title'], ['body']],
  banner: [['slot'], ['title', 'image_url']],
  in_app: [['slot'], ['title', 'image_url']],
  pos: [['title']],
  print: [['title', 'body']],
  ads: [],
};

/** The longest SMS text (10 concatenated segments of 160 GSM characters). */
export const SMS_MAX = 1600;

/** Fields that are not templates: a placement slot name. */
export const LITERAL_FIELDS: ReadonlySet<Field> = new Set(['slot']);
export const SLOT_PATTERN = /^[a-z0-9_]{1,64}$/;

/** Fields that hold a link: after rendering, an http(s) URL or a path on this site. */
export const URL_FIELDS: ReadonlySet<Field> = new Set(['url', 'image_url']);
/** `//host` and `/\host` are other sites to a browser: a path starts with one `/` and has no backslash. */
export const isSafeUrl = (s: string): boolean =>
  /^https?:\/\/[^\s\\]+$/i.test(s) || /^\/(?![/\\])[^\s\\]*$/.test(s);

/** The e-mail html is escaped for HTML; every other field is plain text. */
export const flavourOf = (medium: Medium, field: Field): 'html' | 'text' =>
  medium === 'email' && field === 'html' ? 'html' : 'text';

/** The documented variables (GET /admin/templates/reference and docs/campaigns.md). */
export const VARIABLES: readonly { name: string; description: string }[] = [
  { name: 'customer.id', description: 'The customer id (cus_…)' },
  { name: 'customer.first_name', description: 'First name, or null' },
  { name: 'customer.last_name', description: 'Last name, or null' },
  { name: 'customer.email', description: 'Primary e-mail, or null' },
  { name: 'customer.locale', description: 'Language (BCP 47, e.g. fr), or null' },
  {
    name: 'customer.traits.<key>',
    description: 'A profile trait (identify calls, imports); absent when not set',
  },
  {
    name: 'customer.computed.<key>',
    description: 'A computed trait value by its key; absent when not computed',
  },
  { name: 'store', description: 'The preferred store, or null: use {% if store %}' },
  { name: 'store.id / store.name / store.city', description: 'The preferred store' },
  { name: 'products', description: "The campaign's products (a list: {% for p in products %})" },
  {
    name: 'products[].id / title / url / image_url',
    description: 'Product id, title, shop page, first image or null',
  },
  { name: 'products[].price', description: "Lowest current price, formatted in the channel's currency" },
  {
    name: 'products[].in_stock_at_store',
    description: "true when the recipient's store has at least one unit",
  },
  {
    name: 'products[].available_at_store',
    description: "Units available at the recipient's store (0 without one)",
  },
  {
    name: 'offer.code / offer.description',
    description: "The recipient's offer code, or null without an offer",
  },
  { name: 'campaign.id / campaign.name', description: 'The campaign, or null (journeys, transactional)' },
  { name: 'links.shop', description: "The shop's URL" },
  { name: 'links.unsubscribe', description: 'One-click unsubscribe URL (marketing), or null' },
];
