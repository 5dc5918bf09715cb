/**
 * The local control channel of a process that owns an embedded database.
 *
 * PGlite is one process's database: while `plaza start` runs, `plaza token create` cannot open the data
 * folder (plaza.pid refuses a second process, which would corrupt it). So the running process listens on
 * a loopback port and writes `<data dir>/plaza.control` (port and a random secret, mode 0600). The CLI
 * reads that file and asks the server to do the work in its own database. Only someone who can read
 * the data folder, who could read the database files anyway, can use it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { safeEqual } from '../platform/crypto.ts';
import { ERROR_CODES, type ErrorCode, PlazaError } from '../platform/errors.ts';
import { processAlive } from '../platform/lockfile.ts';
import type { Deps } from '../platform/module.ts';
import {
  configBase,
  createTokenOp,
  listKeysOp,
  type StaffLinkRequest,
  staffLinkOp,
  type TokenRequest,
} from './ops.ts';

export const CONTROL_FILE = 'plaza.control';
export type ControlPath = '/tokens' | '/keys' | '/staff-links';
const MAX_BODY = 16 * 1024;

interface ControlInfo {
  pid: number;
  port: number;
  secret: string;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > MAX_BODY) reject(new ControlError(413, 'request too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });

const parseTokenRequest = (raw: string): TokenRequest => {
  const v = JSON.parse(raw) as Partial<TokenRequest>;
  const okIds = Array.isArray(v.location_ids) && v.location_ids.every((id) => typeof id === 'string');
  if ((v.scope !== 'admin' && v.scope !== 'staff') || typeof v.name !== 'string' || !okIds) {
    throw new ControlError(400, 'expected {scope, name, location_ids}');
  }
  return { scope: v.scope, name: v.name.slice(0, 100), location_ids: v.location_ids ?? [] };
};

const parseStaffLinkRequest = (raw: string): StaffLinkRequest => {
  const v = JSON.parse(raw) as { kind?: unknown; email?: unknown };
  if (v.kind === 'owner') return { kind: 'owner' };
  if (v.kind === 'reset' && typeof v.email === 'string')
    return { kind: 'reset', email: v.email.slice(0, 254) };
  throw new ControlError(400, 'expected {kind: "owner"} or {kind: "reset", email}');
};

const route = async (deps: Deps, req: IncomingMessage, base: string): Promise<unknown> => {
  if (req.method === 'POST' && req.url === '/tokens') {
    return createTokenOp(deps, parseTokenRequest(await readBody(req)));
  }
  if (req.method === 'POST' && req.url === '/staff-links') {
    return staffLinkOp(deps, parseStaffLinkRequest(await readBody(req)), base);
  }
  if (req.method === 'GET' && req.url === '/keys') return listKeysOp(deps);
  throw new ControlError(404, 'unknown control request');
};

const answer = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

/**
 * Listens on 127.0.0.1 (a free port) and writes the control file. Returns a function that removes
 * the file and stops listening.
 */
export const startControlServer = async (
  deps: Deps,
  dataDir: string,
  /** The public base of console links (the address the API listens on). */
  base: string = configBase(deps.config),
): Promise<() => Promise<void>> => {
  const secret = randomBytes(32).toString('base64url');
  const server = createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    if (!safeEqual(auth, `Bearer ${secret}`)) return answer(res, 401, { detail: 'wrong control secret' });
    route(deps, req, base).then(
      (body) => answer(res, 200, body),
      (e: unknown) => {
        if (e instanceof PlazaError) return answer(res, e.status, { code: e.code, detail: e.message });
        if (e instanceof ControlError) return answer(res, e.status, { detail: e.message });
        if (e instanceof SyntaxError) return answer(res, 400, { detail: 'malformed JSON' });
        deps.log.error({ err: e }, 'control request failed');
        return answer(res, 500, { detail: 'internal error (see the server log)' });
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const file = join(dataDir, CONTROL_FILE);
  rmSync(file, { force: true });
  const info: ControlInfo = { pid: process.pid, port, secret };
  writeFileSync(file, JSON.stringify(info), { mode: 0o600, flag: 'wx' });
  return async () => {
    try {
      const current = JSON.parse(readFileSync(file, 'utf8')) as ControlInfo;
      if (current.pid === process.pid) rmSync(file, { force: true });
    } catch {
      // already gone
    }
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
};

/** The control file of a live server, or undefined. Refuses a file others could read or have written. */
const readControl = (dataDir: string): ControlInfo | undefined => {
  const file = join(dataDir, CONTROL_FILE);
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(file);
  } catch {
    return undefined;
  }
  if (process.platform !== 'win32') {
    const mine = process.getuid?.() === undefined || st.uid === process.getuid?.();
    if (!mine || (st.mode & 0o077) !== 0) {
      throw new PlazaError(
        'FORBIDDEN',
        `${file} must belong to you and be readable by you only (chmod 600); refusing to use it`,
      );
    }
  }
  const info = JSON.parse(readFileSync(file, 'utf8')) as ControlInfo;
  return processAlive(info.pid) ? info : undefined;
};

/**
 * Asks the server that owns the embedded database in `dataDir` to run a request. Resolves undefined
 * when no server runs there (the caller opens the database itself).
 */
export const askRunningServer = async <T>(
  dataDir: string,
  method: 'GET' | 'POST',
  path: ControlPath,
  body?: unknown,
): Promise<T | undefined> => {
  const info = readControl(dataDir);
  if (!info) return undefined;
  let res: Response;
  try {
    res = await fetch(`http://127.0.0.1:${info.port}${path}`, {
      method,
      headers: { authorization: `Bearer ${info.secret}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    return undefined; // the server is stopping: the data folder lock decides what happens next
  }
  const answer = (await res.json()) as { code?: string; detail?: string };
  if (res.ok) return answer as T;
  const code = answer.code && answer.code in ERROR_CODES ? (answer.code as ErrorCode) : 'INTERNAL';
  throw new PlazaError(code, answer.detail ?? `the running server answered ${res.status}`);
};
