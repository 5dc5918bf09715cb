/** The demo retailer "Plaza Outfitters". Idempotent: running it again adds only what is missing. */

import { DAY } from '../../platform/clock.ts';
import type { Deps } from '../../platform/module.ts';
import type { Progress } from '../../platform/progress.ts';
import { seedCatalog } from './catalog.ts';
import { DEMO_CURRENCY, type DemoChannel, seedChannels } from './channels.ts';
import { HISTORY_DAYS } from './history-plan.ts';
import { type DemoLocation, seedLocations, seedStock } from './locations.ts';
import { seedStoreSettings } from './stores.ts';
import { seedStrategyAnswers } from './strategy.ts';
import { seedSuppliers } from './suppliers.ts';

export const DEMO_RETAILER = 'Plaza Outfitters';

export interface DemoSummary {
  retailer: string;
  channels: DemoChannel[];
  locations: DemoLocation[];
  skus: number;
  stock: { levels: number; units: number };
}

/**
 * Loads the demo retailer: web and app channels, two store POS channels (each bound to its store),
 * a warehouse and three stores in Portland, ~200 products / ~1,000 variants priced on every
 * channel, and uneven stock. Each step is its own transaction and only adds what is missing.
 */
export const seedDemo = async (
  deps: Deps,
  opts: { progress?: (label: string, total: number) => Progress } = {},
): Promise<DemoSummary> => {
  const step = (label: string) => opts.progress?.(label, 1);
  let s = step('demo: channels');
  const channels = await deps.db.tx((tx) => seedChannels(tx, deps));
  s?.done();
  s = step('demo: stores and warehouse');
  const locations = await deps.db.tx(async (tx) => {
    const seeded = await seedLocations(tx, deps, channels);
    await seedStoreSettings(tx, deps, seeded);
    return seeded;
  });
  s?.done();
  s = step('demo: catalog');
  const skus = await deps.db.tx((tx) =>
    seedCatalog(
      tx,
      deps,
      channels.map((c) => ({ id: c.id, type: c.type, currency: DEMO_CURRENCY })),
    ),
  );
  s?.done();
  s = step('demo: stock');
  // The opening stock is dated before the history (history-plan.ts), so that the stock ledger holds
  // things in the order they happened: received, then sold (the demand history reads stock-outs from it).
  const opened = new Date(deps.clock.now().getTime() - (HISTORY_DAYS + 1) * DAY);
  const stock = await deps.db.tx((tx) => seedStock(tx, { clock: { now: () => opened } }, skus, locations));
  s?.done();
  s = step('demo: suppliers and strategy answers');
  await deps.db.tx(async (tx) => {
    await seedSuppliers(tx, deps, skus);
    await seedStrategyAnswers(tx, deps);
  });
  s?.done();
  return { retailer: DEMO_RETAILER, channels, locations, skus: skus.length, stock };
};
