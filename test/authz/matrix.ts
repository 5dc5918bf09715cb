/**
 * The authorization matrix: every operation of /openapi.json (and the hidden routes) × every principal,
 * expressed by access classes with per-row overrides. authz.test.ts walks every cell; an operation
 * without a row, or a row without an operation, fails the test. docs/authorization.md explains how to
 * add a row.
 */
import { ADMIN_ROWS } from './rows-admin.ts';
import { PUBLIC_ROWS, STORE_ROWS } from './rows-store.ts';

/** Who calls. Each one sends every credential it holds, on every route. */
export const PRINCIPALS = [
  'anonymous',
  'channelA',
  'channelB',
  'customerX',
  'customerY',
  'staffS',
  'staffT',
  'manager',
  'owner',
  'admin',
  'revokedKey',
  'expiredSession',
  'revokedCustomer',
] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

/**
 * Access classes:
 * - `public`: anyone, no credentials (root routes, /admin log-in routes);
 * - `channel`: /store with a valid publishable key (every shopper, logged in or not);
 * - `shopper`: /store, a resource of its holder: a guest's cart or order (token) or the customer's own;
 * - `customer`: /store, a logged-in customer acting on their own account;
 * - `write-key`: /v1 tracking, a channel's event write key (HTTP Basic);
 * - `staff`: /admin, every staff member and above (staff see all of it);
 * - `staff-location`: /admin, staff only for their own store locations, managers and above everywhere;
 * - `admin`: /admin, managers, owners and admin tokens (staff refused);
 * - `session`: /admin, a logged-in staff user's cookie session (tokens refused);
 * - `owner`: /admin, owners and admin tokens only;
 * - `signed`: callbacks of outside providers, each checking its provider's signature: none of ours.
 */
export type AccessClass =
  | 'public'
  | 'channel'
  | 'shopper'
  | 'customer'
  | 'write-key'
  | 'staff'
  | 'staff-location'
  | 'admin'
  | 'session'
  | 'owner'
  | 'signed';

export interface Row {
  access: AccessClass;
  /** Principals allowed besides the class's own. */
  allow?: readonly PrincipalName[];
  /** Principals refused although the class allows them. */
  deny?: readonly PrincipalName[];
  /**
   * The call ends something the world needs (a session, a key, an account): its allowed cells run last,
   * each with a freshly made principal of the same kind.
   */
  destructive?: boolean;
  /** Problem codes that are the route's business answer, not a refusal (e.g. INVALID_CREDENTIALS). */
  answers?: readonly string[];
  /** The id kind (prefix) of path parameters the document gives no pattern, e.g. `{ id: 'prd' }`. */
  ids?: Readonly<Record<string, string>>;
  /** An allowed GET may answer this status instead of 2xx (e.g. 409 for an export that is not ready). */
  getStatus?: readonly number[];
  /** Why the row differs from its class (shown when a cell fails). */
  note?: string;
  /**
   * A reported authorization hole: the row says what must be, the server does not do it yet for `who`.
   * Their failing cells are listed, not failed; once none fails, the mark must go (the test says so).
   */
  known?: { who: readonly PrincipalName[]; why: string };
}

export type Matrix = Readonly<Record<string, AccessClass | Row>>;

/** Every operation, keyed `METHOD /path` as /openapi.json writes the path. */
export const MATRIX: Matrix = { ...PUBLIC_ROWS, ...STORE_ROWS, ...ADMIN_ROWS };

/**
 * Routes the server answers that /openapi.json does not show, each with who may call it. A new hidden
 * route fails the test until it is listed here (and, if it takes credentials, documented instead).
 */
export const HIDDEN: Readonly<Record<string, string>> = {
  'GET /': 'public: the home page',
  'GET /openapi.json': 'public: the API document',
  'GET /docs': 'public: the API reference',
  'GET /docs/': 'public: the API reference',
  'GET /docs/static/index.html': 'public: the API reference',
  'GET /docs/static/swagger-initializer.js': 'public: the API reference',
  'GET /docs/static/*': 'public: the API reference',
  'GET /docs/json': 'public: the API document',
  'GET /docs/yaml': 'public: the API document',
  'GET /assets/*': 'public: files of the web front-ends, which call the API with their own credentials',
  'GET /shop': 'public: the shop front-end',
  'GET /shop/*': 'public: the shop front-end',
  'GET /console': 'public: the staff console front-end (its API calls need a session)',
  'GET /console/*': 'public: the staff console front-end',
  'GET /pos': 'public: the point-of-sale front-end (its API calls need a session)',
  'GET /pos/*': 'public: the point-of-sale front-end',
  'GET /t/o/*': 'public: e-mail open pixel, the path is a signed token',
  'GET /t/c/*': 'public: e-mail link click, the path is a signed token',
  'GET /t/u/*': 'public: unsubscribe page, the path is a signed token',
  'POST /t/u/*': 'public: one-click unsubscribe, the path is a signed token',
  'POST /v1/i': 'write key: alias of POST /v1/identify (one handler)',
  'POST /v1/t': 'write key: alias of POST /v1/track',
  'POST /v1/p': 'write key: alias of POST /v1/page',
  'POST /v1/s': 'write key: alias of POST /v1/screen',
  'POST /v1/g': 'write key: alias of POST /v1/group',
  'POST /v1/a': 'write key: alias of POST /v1/alias',
  'POST /v1/b': "write key: analytics.js's batching path, as POST /v1/batch",
  'POST /v1/m': "nobody's data: analytics.js's metrics, answered and dropped",
};

export const rowOf = (entry: AccessClass | Row): Row =>
  typeof entry === 'string' ? { access: entry } : entry;

const SHOPPERS: readonly PrincipalName[] = ['channelA', 'channelB', 'customerX', 'customerY'];
const CUSTOMERS: readonly PrincipalName[] = ['customerX', 'customerY'];
const ADMINS: readonly PrincipalName[] = ['manager', 'owner', 'admin'];
const STAFF: readonly PrincipalName[] = ['staffS', 'staffT', ...ADMINS];

/** Who each class lets in (for its own resources, when it has an owner dimension). */
export const CLASS_ALLOWS: Readonly<Record<AccessClass, readonly PrincipalName[]>> = {
  public: PRINCIPALS,
  channel: SHOPPERS,
  shopper: SHOPPERS,
  customer: CUSTOMERS,
  'write-key': SHOPPERS,
  staff: STAFF,
  'staff-location': STAFF,
  admin: ADMINS,
  session: ['staffS', 'manager', 'owner'],
  owner: ['owner', 'admin'],
  signed: [],
};

/** The parties whose resources a call names: shoppers A, B (guests) and X, Y (customers), stores S, T. */
export type Party = 'A' | 'B' | 'X' | 'Y' | 'S' | 'T' | 'N' | 'Z';

/** Which principals are confined to their own resources in a class, and whose those are (own, other). */
const SCOPES: Partial<Record<AccessClass, Partial<Record<PrincipalName, readonly [Party, Party]>>>> = {
  shopper: { channelA: ['A', 'B'], channelB: ['B', 'A'], customerX: ['X', 'Y'], customerY: ['Y', 'X'] },
  customer: { customerX: ['X', 'Y'], customerY: ['Y', 'X'] },
  'staff-location': { staffS: ['S', 'T'], staffT: ['T', 'S'] },
};

/** The own and other party of a principal confined by the row's class (undefined when not confined). */
export const scopeOf = (row: Row, p: PrincipalName): readonly [Party, Party] | undefined =>
  SCOPES[row.access]?.[p];

/**
 * The party whose resources an unconfined principal names: the shop's shared catalog (N) for public,
 * channel and tracking routes, the first shopper or store (X, S) for those refused on owned resources,
 * and a separate shop (Z) for staff and admins, whose allowed writes must not disturb the others.
 */
export const defaultParty = (row: Row, allowed: boolean): Party => {
  switch (row.access) {
    case 'public':
    case 'channel':
    case 'write-key':
    case 'signed':
      return 'N';
    case 'shopper':
    case 'customer':
      return 'X';
    case 'staff-location':
      return allowed ? 'Z' : 'S';
    default:
      return 'Z';
  }
};

/** True when the row lets `p` in (for its own resources, if the class confines it). */
export const allows = (row: Row, p: PrincipalName): boolean =>
  !row.deny?.includes(p) && (CLASS_ALLOWS[row.access].includes(p) || Boolean(row.allow?.includes(p)));

/** The key of an operation in the matrix. */
export const opKey = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;
