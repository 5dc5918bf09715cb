/** The `plaza` command line. */
import { parseArgs } from 'node:util';
import { seedDemoHistory } from '../flows/demo/history.ts';
import { seedDemo } from '../flows/demo/index.ts';
import { ensureBootstrapToken } from '../modules/access/index.ts';
import { type Config, ConfigError, loadConfig } from '../platform/config.ts';
import { PlazaError } from '../platform/errors.ts';
import { DataDirLockedError } from '../platform/lockfile.ts';
import { MigrationError } from '../platform/migrate.ts';
import type { Deps } from '../platform/module.ts';
import { progress } from '../platform/progress.ts';
import { describeDb, openRuntime } from '../runtime.ts';
import { askRunningServer, type ControlPath } from './control.ts';
import { importProducts } from './import.ts';
import {
  type ChannelKeyLine,
  type CreatedToken,
  configBase,
  createTokenOp,
  listKeysOp,
  type StaffLink,
  type StaffLinkRequest,
  staffLinkOp,
  type TokenRequest,
} from './ops.ts';
import { printDemo, runWorker, start } from './start.ts';

const HELP = `Usage: plaza <command> [options]

Commands:
  start                         Run the API (migrates first; on a fresh embedded database loads the demo)
  worker                        Run only the background work (outbox, webhooks, sweepers)
  migrate                       Apply pending database migrations
  token create --scope admin|staff [--name NAME] [--location loc_… …]
                                Create an admin or staff token and print it once
                                (works while \`plaza start\` runs on the embedded database)
  keys                          Print the active publishable channel keys (also while the server runs)
  staff owner-link              Print a one-time link to create the first owner of the console (while none exists)
  staff reset-link EMAIL        Print a one-time password reset link for a staff account (docs/staff.md)
  seed --demo                   Load the demo retailer "Plaza Outfitters" with 60 days of history (idempotent)
  import products FILE.csv [--batch-size N]
                                Import products from CSV (docs/catalog.md): upserts by handle and SKU,
                                prints the rows it refused with their line numbers (exit code 1 if any)
  help                          Show this help

Environment: PORT (9000), HOST (127.0.0.1), DATABASE_URL (postgres://… ; embedded PGlite when unset),
PLAZA_DATA_DIR (./.plaza), PLAZA_ADMIN_TOKEN (≥ 32 chars), PLAZA_DEMO (1), PLAZA_WORKERS (1),
PLAZA_DB_POOL_SIZE (10), LOG_LEVEL (info). See README.md.`;

const quietLog = () => process.env.LOG_LEVEL ?? 'warn';

/** Opens the database for one command (locking an embedded data folder) and closes it afterwards. */
const withRuntime = async <T>(config: Config, run: (deps: Deps) => Promise<T>): Promise<T> => {
  const rt = await openRuntime({ config });
  try {
    return await run(rt.deps);
  } finally {
    await rt.close();
  }
};

/**
 * On the embedded database, a running `plaza start` owns the data folder: the command is sent to it
 * over its local control channel (control.ts). Undefined when no server runs there.
 */
const viaRunningServer = <T>(
  config: Config,
  method: 'GET' | 'POST',
  path: ControlPath,
  body?: unknown,
): Promise<T | undefined> =>
  config.databaseUrl ? Promise.resolve(undefined) : askRunningServer<T>(config.dataDir, method, path, body);

const commands: Record<string, (args: string[]) => Promise<void>> = {
  async start() {
    await start(loadConfig());
  },
  async worker() {
    await runWorker(loadConfig());
  },
  async migrate() {
    const config = { ...loadConfig(), logLevel: quietLog() };
    const rt = await openRuntime({ config });
    console.log(
      rt.applied.length
        ? `Applied ${rt.applied.length} migration(s): ${rt.applied.join(', ')}`
        : 'Database is up to date',
    );
    console.log(`Database: ${describeDb(config)}`);
    await rt.close();
  },
  async token(args) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        scope: { type: 'string' },
        name: { type: 'string' },
        location: { type: 'string', multiple: true },
      },
    });
    if (positionals[0] !== 'create') throw new ConfigError('usage: plaza token create --scope admin|staff');
    const scope = values.scope;
    if (scope !== 'admin' && scope !== 'staff') throw new ConfigError('--scope must be admin or staff');
    const request: TokenRequest = {
      name: values.name ?? `${scope} token (cli)`,
      scope,
      location_ids: values.location ?? [],
    };
    const config = { ...loadConfig(), logLevel: quietLog() };
    const created =
      (await viaRunningServer<CreatedToken>(config, 'POST', '/tokens', request)) ??
      (await withRuntime(config, (deps) => createTokenOp(deps, request)));
    console.log(created.token);
    console.error(`Created ${created.scope} token ${created.id}. It is shown once; only its hash is stored.`);
  },
  async keys() {
    const config = { ...loadConfig(), logLevel: quietLog() };
    const lines =
      (await viaRunningServer<ChannelKeyLine[]>(config, 'GET', '/keys')) ??
      (await withRuntime(config, listKeysOp));
    if (lines.length === 0) console.error('No channel has an active publishable key.');
    for (const l of lines) console.log(`${l.type.padEnd(12)} ${l.channel.padEnd(30)} ${l.key}`);
  },
  async staff(args) {
    const [what, email] = args;
    const request: StaffLinkRequest | undefined =
      what === 'owner-link'
        ? { kind: 'owner' }
        : what === 'reset-link' && email
          ? { kind: 'reset', email }
          : undefined;
    if (!request) throw new ConfigError('usage: plaza staff owner-link | plaza staff reset-link EMAIL');
    const config = { ...loadConfig(), logLevel: quietLog() };
    const link =
      (await viaRunningServer<StaffLink>(config, 'POST', '/staff-links', request)) ??
      (await withRuntime(config, (deps) => staffLinkOp(deps, request, configBase(config))));
    if (!link.url) {
      console.error('An owner exists already: owners invite people from the console (docs/staff.md).');
      process.exitCode = 1;
      return;
    }
    console.log(link.url);
    console.error(`One-time link, valid until ${link.expires_at}. Only its hash is stored.`);
  },
  async seed(args) {
    const { values } = parseArgs({ args, options: { demo: { type: 'boolean' } } });
    if (!values.demo) throw new ConfigError('usage: plaza seed --demo');
    const rt = await openRuntime({ config: { ...loadConfig(), logLevel: quietLog() } });
    try {
      // The history works with tokens of its own: a fresh database gets its bootstrap admin token
      // first (shown here, once), or the first `plaza start` would find tokens and show none.
      const token = await ensureBootstrapToken(rt.deps.db, rt.deps, rt.deps.config.adminToken);
      const demo = await seedDemo(rt.deps, { progress });
      printDemo(
        demo,
        rt.deps.config.demoHistory ? await seedDemoHistory(rt.deps, demo, { progress }) : undefined,
      );
      if (token) console.error(`Admin token: ${token}\n  (shown once, only its hash is stored)`);
    } finally {
      await rt.close();
    }
  },
  async import(args) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { 'batch-size': { type: 'string' } },
    });
    const [what, file] = positionals;
    if (what !== 'products' || !file) throw new ConfigError('usage: plaza import products FILE.csv');
    const batch = values['batch-size'] === undefined ? undefined : Number(values['batch-size']);
    if (batch !== undefined && !(Number.isInteger(batch) && batch > 0 && batch <= 10_000)) {
      throw new ConfigError('--batch-size must be an integer between 1 and 10000');
    }
    const rt = await openRuntime({ config: { ...loadConfig(), logLevel: quietLog() } });
    try {
      process.exitCode = await importProducts(rt, file, batch);
    } finally {
      await rt.close();
    }
  },
  async help() {
    console.log(HELP);
  },
};

const main = async () => {
  const [name = 'help', ...args] = process.argv.slice(2);
  const command = commands[name === '--help' || name === '-h' ? 'help' : name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${HELP}`);
    process.exit(2);
  }
  await command(args);
};

main().catch((e: unknown) => {
  const known =
    e instanceof ConfigError ||
    e instanceof DataDirLockedError ||
    e instanceof MigrationError ||
    e instanceof PlazaError;
  console.error(known ? `plaza: ${(e as Error).message}` : e);
  process.exit(known ? 2 : 1);
});
