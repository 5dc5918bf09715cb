/**
 * The demo shop's history: about 60 days of customers, web and app orders (shipped, delivered,
 * collected in store, a few cancelled or returned), counter sales at the stores (some to loyalty
 * members, some paid partly with points) and a few carts left open, made through the real API with
 * the clock set to past instants. For the dashboard, the screenshots and whatever needs a shop with a
 * past. Deterministic for a given day (seeded PRNG) and done once (a setting marks it).
 */
import { DateTime } from 'luxon';
import { createToken, revokeToken } from '../../modules/access/index.ts';
import { getChannel } from '../../modules/channels/index.ts';
import { ensureChannelWriteKey, insertEvents } from '../../modules/events/index.ts';
import { listOrders } from '../../modules/orders/index.ts';
import { MODULES } from '../../modules.ts';
import { DAY, TestClock } from '../../platform/clock.ts';
import { PlazaError } from '../../platform/errors.ts';
import type { Deps } from '../../platform/module.ts';
import { OutboxDispatcher } from '../../platform/outbox/dispatcher.ts';
import type { Progress } from '../../platform/progress.ts';
import { getSetting, setSetting } from '../../platform/settings.ts';
import { buildApp } from '../../server.ts';
import { inProcessClient } from './history-api.ts';
import {
  demoPeople,
  HISTORY_DAYS,
  HISTORY_ZONE,
  PICKUP_STORES,
  planHistory,
  prng,
  type StoreName,
} from './history-plan.ts';
import { type AdTouch, type Counts, type RunContext, runHistory } from './history-run.ts';
import { StockModel } from './history-stock.ts';
import type { DemoSummary } from './index.ts';

/** The setting that says the history was made (its value: what was made). */
export const HISTORY_SETTING = 'demo_history';

export interface HistorySummary extends Counts {
  days: number;
  from: string;
  to: string;
}

export interface HistoryOptions {
  progress?: (label: string, total: number) => Progress;
  /** Mean online orders and counter sales a day (before weekday and trend); defaults fit ~15 s on PGlite. */
  onlinePerDay?: number;
  counterPerDay?: number;
}

/** The history is only made for a shop nobody has sold in yet (it would mix with real orders). */
/** Page views from an ad, as the shop's analytics.js would send them (client events of the channel's source). */
const adVisits = (deps: Deps, places: { web: { id: string }; app: { id: string } }) => {
  const sources = new Map<string, string>();
  let n = 0;
  return async (customerId: string, channel: 'web' | 'app', at: number, ad: AdTouch) => {
    const channelId = places[channel].id;
    let sourceId = sources.get(channelId);
    if (!sourceId) {
      const c = await getChannel(deps.db, channelId);
      if (!c) return;
      sourceId = (await deps.db.tx((tx) => ensureChannelWriteKey(tx, deps, c, channel))).source_id;
      sources.set(channelId, sourceId);
    }
    const when = new Date(at);
    await insertEvents(deps.db, [
      {
        sourceId,
        channelId,
        origin: 'client',
        messageId: `demo-ad-${++n}-${at}`,
        type: 'page',
        event: 'Home',
        userId: customerId,
        customerId,
        context: { campaign: ad, page: { path: '/shop/' } },
        timestamp: when,
        receivedAt: when,
        retentionMonths: 0,
      },
    ]);
  };
};

const hasOrders = async (deps: Deps): Promise<boolean> =>
  (await listOrders(deps.db, { limit: 1 })).length > 0;

const byName = <T extends { name: string }>(list: readonly T[], name: string): T => {
  const found = list.find((x) => x.name === name);
  if (!found) throw new Error(`demo history: the demo has no "${name}"`);
  return found;
};

const tokensFor = async (deps: Deps, stores: Record<StoreName, string>) =>
  deps.db.tx(async (tx) => {
    const admin = await createToken(tx, deps, {
      name: 'Back office (demo history)',
      scope: 'admin',
      createdBy: 'demo',
    });
    const staff: { name: StoreName; token: string; id: string }[] = [];
    for (const name of PICKUP_STORES) {
      const t = await createToken(tx, deps, {
        name: `${name} till (demo history)`,
        scope: 'staff',
        location_ids: [stores[name]],
        createdBy: 'demo',
      });
      staff.push({ name, token: t.token, id: t.row.id });
    }
    return { admin: { token: admin.token, id: admin.row.id }, staff };
  });

/** Revokes the history's tokens (their secrets were never shown); the last admin token stays. */
const revokeAll = async (deps: Deps, ids: readonly string[]) => {
  for (const id of ids) {
    await deps.db
      .tx((tx) => revokeToken(tx, deps, id, 'demo'))
      .catch((e: unknown) => {
        if (!(e instanceof PlazaError && e.code === 'CONFLICT')) throw e;
      });
  }
};

/** Where the history happens: the demo's stores, warehouse and channels, by role. */
const placesOf = (demo: DemoSummary) => {
  const stores = Object.fromEntries(PICKUP_STORES.map((n) => [n, byName(demo.locations, n).id])) as Record<
    StoreName,
    string
  >;
  const warehouse = demo.locations.find((l) => l.type === 'warehouse');
  if (!warehouse) throw new Error('demo history: the demo has no warehouse');
  const channel = (type: 'web' | 'app') => {
    const c = demo.channels.find((x) => x.type === type);
    if (!c) throw new Error(`demo history: the demo has no ${type} channel`);
    return c;
  };
  const posChannels: Partial<Record<StoreName, string>> = {};
  for (const c of demo.channels.filter((x) => x.type === 'pos')) {
    const store = PICKUP_STORES.find((n) => c.name.startsWith(n.replace(/ Store$/, '')));
    if (store) posChannels[store] = c.id;
  }
  return { stores, warehouse: warehouse.id, web: channel('web'), app: channel('app'), posChannels };
};

const localDate = (ms: number) => DateTime.fromMillis(ms, { zone: HISTORY_ZONE }).toISODate() ?? '';

/**
 * Makes the history once: runs nothing when it was made before (answers what was made then) or when
 * the shop has orders already (answers undefined). It runs on its own in-process app whose clock is
 * set to each step's instant; the events it writes are dispatched as it goes. Its tokens are revoked
 * at the end.
 */
export const seedDemoHistory = async (
  deps: Deps,
  demo: DemoSummary,
  opts: HistoryOptions = {},
): Promise<HistorySummary | undefined> => {
  const done = await getSetting<HistorySummary>(deps.db, HISTORY_SETTING);
  if (done) return done;
  if (await hasOrders(deps)) return undefined;

  const now = deps.clock.now().getTime();
  const people = demoPeople();
  const plan = planHistory({
    now,
    people,
    onlinePerDay: opts.onlinePerDay ?? 1.9,
    counterPerDay: opts.counterPerDay ?? 1.25,
  });
  const places = placesOf(demo);
  const clock = new TestClock(new Date(Math.min(plan[0]?.at ?? now, now) - DAY));
  const past: Deps = { ...deps, clock };
  const tokens = await tokensFor(past, places.stores);
  const app = await buildApp(past);
  const dispatcher = new OutboxDispatcher({
    ...past,
    subscribers: MODULES.flatMap((m) => m.subscribers?.(past) ?? []),
  });
  const progress = opts.progress?.('demo: history', plan.length);
  try {
    const staffOf = (n: StoreName) => inProcessClient(app, { token: byName(tokens.staff, n).token });
    const ctx: RunContext = {
      clock,
      now,
      rng: prng(0x0ff1ce),
      admin: inProcessClient(app, { token: tokens.admin.token }),
      shops: {
        web: inProcessClient(app, { channelKey: places.web.key }),
        app: inProcessClient(app, { channelKey: places.app.key }),
      },
      channelIds: { web: places.web.id, app: places.app.id },
      staff: {
        'Downtown Store': staffOf('Downtown Store'),
        'Riverside Store': staffOf('Riverside Store'),
        'Hawthorne Store': staffOf('Hawthorne Store'),
      },
      posChannels: places.posChannels,
      locations: { ...places.stores, warehouse: places.warehouse },
      people,
      stock: await StockModel.load(deps.db, [places.warehouse, ...Object.values(places.stores)]),
      async drain() {
        for (let i = 0; i < 1000 && (await dispatcher.runOnce()) > 0; i++);
      },
      adVisit: adVisits(past, places),
      ...(progress ? { progress } : {}),
    };
    const counts = await runHistory(ctx, plan);
    await revokeAll(past, [tokens.admin.id, ...tokens.staff.map((s) => s.id)]);
    await ctx.drain();
    const summary: HistorySummary = {
      days: HISTORY_DAYS,
      from: localDate(plan[0]?.at ?? now),
      to: localDate(now),
      ...counts,
    };
    await setSetting(deps.db, HISTORY_SETTING, summary);
    progress?.done();
    return summary;
  } finally {
    await app.close();
  }
};
