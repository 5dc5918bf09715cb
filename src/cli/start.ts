import { type HistorySummary, seedDemoHistory } from '../flows/demo/history.ts';
import { type DemoSummary, seedDemo } from '../flows/demo/index.ts';
import { ensureBootstrapToken } from '../modules/access/index.ts';
import { providers } from '../modules/messaging/index.ts';
import type { Config } from '../platform/config.ts';
import type { Deps } from '../platform/module.ts';
import { progress } from '../platform/progress.ts';
import { getSetting, setSetting } from '../platform/settings.ts';
import { describeDb, openRuntime } from '../runtime.ts';
import { buildApp, buildWorker, VERSION } from '../server.ts';
import { startControlServer } from './control.ts';
import { staffLinkOp } from './ops.ts';

const FIRST_START = 'first_start_at';

/** On the embedded database, the CLI reaches this process through a local control channel (control.ts). */
const controlChannel = async (deps: Deps, config: Config, base?: string): Promise<() => Promise<void>> =>
  config.databaseUrl ? async () => undefined : startControlServer(deps, config.dataDir, base);

export const printDemo = (demo: DemoSummary, history?: HistorySummary): void => {
  console.log(
    `  Demo retailer "${demo.retailer}": ${demo.skus} SKUs, ${demo.locations.length} locations ` +
      `(${demo.locations.map((l) => l.name).join(', ')})`,
  );
  if (history) {
    console.log(
      `  Demo history: ${history.days} days up to ${history.to}, ${history.orders} online orders, ` +
        `${history.counter_sales} counter sales, ${history.customers} customers`,
    );
  }
  console.log('  Publishable channel keys (header x-plaza-channel-key):');
  for (const c of demo.channels) console.log(`    ${c.type.padEnd(5)} ${c.name.padEnd(24)} ${c.key}`);
};

/** `plaza start`: migrate, bootstrap, (demo on a fresh embedded database), serve HTTP and run the worker. */
export const start = async (config: Config): Promise<void> => {
  const rt = await openRuntime({ config });
  const { deps } = rt;
  const firstStart = (await getSetting(deps.db, FIRST_START)) === undefined;
  const bootstrapToken = await ensureBootstrapToken(deps.db, deps, config.adminToken);
  let demo: DemoSummary | undefined;
  let history: HistorySummary | undefined;
  if (firstStart) {
    if (deps.db.kind === 'pglite' && config.demo) {
      demo = await seedDemo(deps, { progress });
      if (config.demoHistory) history = await seedDemoHistory(deps, demo, { progress });
    }
    await setSetting(deps.db, FIRST_START, deps.clock.now().toISOString());
  }
  const app = await buildApp(deps);
  const worker = config.workers ? buildWorker(deps) : undefined;
  const address = await app.listen({ port: config.port, host: config.host });
  await worker?.start();
  const base = config.publicUrl ?? address.replace('://[::1]', '://localhost');
  const stopControl = await controlChannel(rt.deps, config, base);
  const ownerLink = await staffLinkOp(deps, { kind: 'owner' }, base);

  console.log('');
  console.log(`Plaza ${VERSION} is running at ${base}`);
  console.log(`  Console:     ${base}/console/   Shop: ${base}/shop/   POS: ${base}/pos/`);
  console.log(`  API docs:    ${base}/docs`);
  console.log(`  OpenAPI:     ${base}/openapi.json`);
  console.log(`  Database:    ${describeDb(config)}`);
  if (bootstrapToken) {
    console.log(`  Admin token: ${bootstrapToken}`);
    console.log(
      '               (shown once, only its hash is stored: keep it now; `npx plaza token create --scope admin`',
    );
    console.log('               makes more, also while this server runs)');
  } else if (config.adminToken) {
    console.log('  Admin token: the one in PLAZA_ADMIN_TOKEN');
  }
  if (ownerLink.url) {
    console.log(`  First owner: ${ownerLink.url}`);
    console.log(
      '               (one-time link where the owner chooses a password; `npx plaza staff owner-link` makes another)',
    );
  }
  if (demo) printDemo(demo, history);
  console.log('');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      deps.log.error('shutdown took longer than 25 s; exiting');
      process.exit(1);
    }, 25_000);
    timer.unref();
    try {
      await stopControl();
      await app.close();
      await worker?.stop();
      await providers(deps).close(); // pooled SMTP connections
      await rt.close();
      deps.log.info('stopped');
      process.exit(0);
    } catch (e) {
      deps.log.error({ err: e }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
};

/** `plaza worker`: only the background work (outbox, webhooks, sweepers), no HTTP. */
export const runWorker = async (config: Config): Promise<void> => {
  const rt = await openRuntime({ config });
  const worker = buildWorker(rt.deps);
  await worker.start();
  rt.deps.log.info('worker started');
  const stopControl = await controlChannel(rt.deps, config);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stopControl();
    await worker.stop();
    await providers(rt.deps).close();
    await rt.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
};
