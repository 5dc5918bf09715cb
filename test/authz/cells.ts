/**
 * The cells of the authorization matrix: which request each (operation, principal, party) sends, and how
 * its answer is judged. A refused cell must answer 401, 403 or 404 with a problem document that names
 * nothing of the party it reached for; an allowed one must not answer 401 or 403 (nor 5xx), a GET of it
 * must succeed, and what it answers must name nothing of the principal's counterpart.
 */
import { sample } from '../support/hostile.ts';
import {
  allows,
  defaultParty,
  MATRIX,
  opKey,
  type Party,
  PRINCIPALS,
  type PrincipalName,
  type Row,
  rowOf,
  scopeOf,
} from './matrix.ts';
import type { AuthzOp } from './operations.ts';
import { type Credentials, headersOf, realize, SKU, type World } from './world.ts';

export interface Cell {
  op: AuthzOp;
  row: Row;
  principal: PrincipalName;
  /** Whose resources the request names. */
  party: Party;
  expect: 'allow' | 'refuse';
  /** own or other resources of a confined principal; only for everyone else. */
  target: 'own' | 'other' | 'only';
  /** The counterpart whose data an allowed answer must not contain. */
  guard?: Party;
}

export interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export type Outcome = 'allowed' | 'refused' | 'undecided' | 'skipped';

export interface Verdict {
  outcome: Outcome;
  failure?: string;
}

const MADE_UP = '01ZZZZZZZZZZZZZZZZZZZZZZZZ';
const prefixOf = (pattern: string | undefined) => (pattern ? /^\^([a-z]+)_/.exec(pattern)?.[1] : undefined);

let seq = 0;

/** The URL (path and required query parameters) and body of an operation naming `ids`. */
const shapeOf = (op: AuthzOp, row: Row, ids: Map<string, string>, creds: Credentials) => {
  const value = (p: AuthzOp['params'][number]): string => {
    if (p.name === 'writeKey') return creds.writeKey ?? 'wk_unknown';
    if (p.name === 'sku') return ids.get(SKU) ?? 'NO-SUCH-SKU';
    const prefix = prefixOf(p.schema?.pattern) ?? (p.in === 'path' ? row.ids?.[p.name] : undefined);
    if (prefix) return ids.get(prefix) ?? `${prefix}_${MADE_UP}`;
    return String(sample(p.schema, ids) ?? 'x');
  };
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const p = op.params.find((x) => x.in === 'path' && x.name === name);
    return encodeURIComponent(p ? value(p) : 'x');
  });
  const query = op.params
    .filter((p) => p.in === 'query' && (p as { required?: boolean }).required)
    .map((p) => `${p.name}=${encodeURIComponent(value(p))}`);
  // a body that must name something (minProperties) gets every optional property too
  const full = Boolean((op.body as { minProperties?: number } | undefined)?.minProperties);
  const body = op.json ? JSON.stringify(realize(sample(op.body, ids, full), ids) ?? {}) : undefined;
  return { url: query.length ? `${path}?${query.join('&')}` : path, body };
};

/** The request a cell sends, with fresh idempotency and device headers where the operation reads them. */
export const requestOf = (
  w: World,
  cell: Cell,
  creds: Credentials = w.principals[cell.principal],
): Request => {
  const { url, body } = shapeOf(cell.op, cell.row, w.parties[cell.party].ids, creds);
  const headers = headersOf(creds, cell.op.path);
  for (const p of cell.op.params.filter((x) => x.in === 'header')) {
    if (p.name === 'Idempotency-Key') headers['idempotency-key'] = `authz-${process.pid}-${++seq}`;
    if (p.name === 'x-plaza-anonymous-id') headers['x-plaza-anonymous-id'] = `authz-device-${cell.principal}`;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  return { method: cell.op.method, url, headers, ...(body !== undefined ? { body } : {}) };
};

/** True when the request names an id that does not exist (no party holds a resource of that kind). */
export const namesMadeUpId = (r: Request): boolean => `${r.url} ${r.body ?? ''}`.includes(MADE_UP);

/** Every cell of the matrix: one per principal, two (own, other) for a principal confined to its own. */
export const planCells = (w: World): Cell[] => {
  const cells: Cell[] = [];
  for (const op of w.ops) {
    const entry = MATRIX[opKey(op.method, op.path)];
    if (!entry) continue;
    const row = rowOf(entry);
    for (const principal of PRINCIPALS) {
      const allowed = allows(row, principal);
      const scope = scopeOf(row, principal);
      if (scope && allowed) {
        const [own, other] = scope;
        cells.push({ op, row, principal, party: own, expect: 'allow', target: 'own', guard: other });
        const creds = w.principals[principal];
        const a = shapeOf(op, row, w.parties[own].ids, creds);
        const b = shapeOf(op, row, w.parties[other].ids, creds);
        if (a.url !== b.url || a.body !== b.body)
          cells.push({ op, row, principal, party: other, expect: 'refuse', target: 'other' });
      } else {
        const party = defaultParty(row, allowed);
        cells.push({ op, row, principal, party, expect: allowed ? 'allow' : 'refuse', target: 'only' });
      }
    }
  }
  return cells;
};

/** Principals with credentials that pass the /admin or /store hook. */
const HOOK_PASSES: Record<'admin' | 'store', readonly PrincipalName[]> = {
  admin: ['staffS', 'staffT', 'manager', 'owner', 'admin'],
  store: ['channelA', 'channelB', 'customerX', 'customerY'],
};

const areaOf = (path: string): 'admin' | 'store' | undefined =>
  path.startsWith('/admin/') ? 'admin' : path.startsWith('/store/') ? 'store' : undefined;

/**
 * True when the refusal of this cell must come from the /admin or /store hook, which runs before
 * validation: then a 400 is a hole, not an undecided cell.
 */
export const refusedByHook = (cell: Cell): boolean => {
  if (cell.row.access === 'public' || cell.row.access === 'session') return false;
  if (cell.row.access === 'write-key') return true; // /v1 judges the key before the message
  const area = areaOf(cell.op.path);
  if (!area) return false;
  if (!HOOK_PASSES[area].includes(cell.principal)) return true;
  if (cell.row.access === 'admin') return cell.principal === 'staffS' || cell.principal === 'staffT';
  return cell.row.access === 'customer' && (cell.principal === 'channelA' || cell.principal === 'channelB');
};

/** True when an allowed cell's grant is decided in the handler, after validation (a 400 says nothing). */
const grantedInHandler = (cell: Cell): boolean =>
  cell.target === 'own' || ['owner', 'session', 'public'].includes(cell.row.access);

/** The first text of `identity` found in `text` (ignoring what the request itself sent). */
const leakIn = (text: string, identity: readonly string[], sent: string): string | undefined =>
  identity.find((s) => text.includes(s) && !sent.includes(s));

const codeOf = (text: string): string | undefined => {
  try {
    const code = (JSON.parse(text) as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
};

/** Judges one answer. */
export const judge = (
  w: World,
  cell: Cell,
  req: Request,
  res: { status: number; contentType: string; text: string },
): Verdict => {
  const sent = `${req.url} ${req.body ?? ''}`;
  const code = codeOf(res.text);
  const fail = (why: string): Verdict => ({
    outcome: cell.expect === 'allow' ? 'allowed' : 'refused',
    failure: `${why}: ${res.status} ${res.text.slice(0, 200)}`,
  });
  if (res.status >= 500 || res.status === 0) return fail('server error or no answer');
  if (cell.expect === 'refuse') {
    if ([401, 403, 404].includes(res.status)) {
      const media = cell.op.path.startsWith('/v1/') ? 'application/json' : 'application/problem+json';
      if (!res.contentType.startsWith(media) || !code) return fail(`refused without a ${media} code`);
      const leak = leakIn(res.text, w.parties[cell.party].identity, sent);
      return leak ? fail(`refusal names ${leak}`) : { outcome: 'refused' };
    }
    if (res.status === 400 && !refusedByHook(cell)) return { outcome: 'undecided' };
    return fail('not refused');
  }
  if ([401, 403].includes(res.status) && !(code && cell.row.answers?.includes(code))) return fail('refused');
  if (cell.guard) {
    const { identity, places } = w.parties[cell.guard];
    const leak = leakIn(res.text, [...identity, ...places], sent);
    if (leak) return fail(`answer names ${leak} of party ${cell.guard}`);
  }
  if (res.status === 400) return { outcome: grantedInHandler(cell) ? 'undecided' : 'allowed' };
  const real = !namesMadeUpId(req);
  if (cell.op.method === 'GET' && real && res.status >= 300 && !cell.row.getStatus?.includes(res.status))
    return fail('an allowed GET of a real resource did not succeed');
  return { outcome: 'allowed' };
};
