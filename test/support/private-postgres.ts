/**
 * A private PostgreSQL server for one test: its own data folder (initdb in a temp folder), its own
 * port and socket folder. Fault tests stop and restart it at will; the shared server on 5432 is never
 * touched.
 *
 * API
 *   privatePostgresUnavailable(): string | undefined
 *       Why a private server cannot be started here (no binaries, …), or undefined when it can.
 *       Binaries: $PLAZA_PG_BIN, else the newest /usr/lib/postgresql/<version>/bin.
 *   startPrivatePostgres(opts?): Promise<PrivatePostgres>
 *       initdb + start; resolves once the server accepts connections. opts.settings adds `-c` settings.
 *   pg.url         postgres://postgres@127.0.0.1:<port>/postgres (trust authentication)
 *   pg.port, pg.dataDir
 *   pg.stop(mode = 'fast')      pg_ctl stop -m <mode> (waits until the server is down)
 *   pg.start()                  pg_ctl start (waits until it accepts connections)
 *   pg.restart({ mode, downMs }) stop, stay down `downMs` (default 0), start again; returns when
 *                                the stop began, when the server was down, and when it accepted
 *                                connections again (Date.now() values)
 *   pg.log()                    the server's log so far
 *   pg.destroy()                stop immediately and delete the data folder (call in afterAll;
 *                               also done at process exit if forgotten)
 *
 * When the test runs as root, every PostgreSQL binary runs as the `postgres` OS user (runuser).
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type StopMode = 'smart' | 'fast' | 'immediate';

export interface RestartTimes {
  /** When the stop was requested. */
  stopAt: number;
  /** When the server was down. */
  downAt: number;
  /** When it accepted connections again. */
  upAt: number;
}

export interface PrivatePostgres {
  url: string;
  port: number;
  dataDir: string;
  stop(mode?: StopMode): Promise<void>;
  start(): Promise<void>;
  restart(opts?: { mode?: StopMode; downMs?: number }): Promise<RestartTimes>;
  log(): string;
  destroy(): Promise<void>;
}

const binDir = (): string | undefined => {
  if (process.env.PLAZA_PG_BIN) return process.env.PLAZA_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
};

const isRoot = (): boolean => process.getuid?.() === 0;

/** Why a private server cannot run here, or undefined when it can. */
export const privatePostgresUnavailable = (): string | undefined => {
  const bin = binDir();
  if (!bin)
    return 'no PostgreSQL binaries (set PLAZA_PG_BIN or install postgresql, e.g. /usr/lib/postgresql/15/bin)';
  for (const tool of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(bin, tool))) return `${join(bin, tool)} is missing`;
  }
  if (isRoot()) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root, but there is no `postgres` OS user to run PostgreSQL as';
    }
  }
  return undefined;
};

/** Runs a PostgreSQL binary (as the `postgres` user when we are root). */
const run = (bin: string, tool: string, args: string[], timeoutMs = 60_000): Promise<string> => {
  const [cmd, argv] = isRoot()
    ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]]
    : [join(bin, tool), args];
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, { timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${tool} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });

const live = new Set<PrivatePostgres>();
let exitHookInstalled = false;
const stopAllAtExit = () => {
  for (const pg of live) {
    try {
      const bin = binDir() as string;
      const args = ['stop', '-D', pg.dataDir, '-m', 'immediate', '-w'];
      if (isRoot()) execFileSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args]);
      else execFileSync(join(bin, 'pg_ctl'), args);
      rmSync(join(pg.dataDir, '..'), { recursive: true, force: true });
    } catch {
      // best effort at exit
    }
  }
};

/** initdb in a temp folder and start the server on a free port; resolves once it accepts connections. */
export const startPrivatePostgres = async (
  opts: { settings?: Record<string, string | number> } = {},
): Promise<PrivatePostgres> => {
  const why = privatePostgresUnavailable();
  if (why) throw new Error(`cannot start a private PostgreSQL: ${why}`);
  const bin = binDir() as string;
  const root = mkdtempSync(join(tmpdir(), 'plaza-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'postgres.log');
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(root, uid, gid);
  }
  await run(bin, 'initdb', [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  const port = await freePort();
  const settings: Record<string, string | number> = {
    port,
    listen_addresses: '127.0.0.1',
    unix_socket_directories: root,
    // A test server: durability is not what it is for.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    shared_buffers: '32MB',
    max_connections: 100,
    ...opts.settings,
  };
  const options = Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  const start = () =>
    run(bin, 'pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', options]);
  const stop = async (mode: StopMode = 'fast') => {
    await run(bin, 'pg_ctl', ['stop', '-D', dataDir, '-m', mode, '-w', '-t', '60']);
  };
  await start();
  const pg: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop,
    start: async () => {
      await start();
    },
    async restart(o = {}) {
      const stopAt = Date.now();
      await stop(o.mode ?? 'fast');
      const downAt = Date.now();
      if (o.downMs) await new Promise((r) => setTimeout(r, o.downMs));
      await start();
      return { stopAt, downAt, upAt: Date.now() };
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    async destroy() {
      live.delete(pg);
      await stop('immediate').catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
  live.add(pg);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', stopAllAtExit);
  }
  return pg;
};
