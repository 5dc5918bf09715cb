/**
 * What the demo history sells: popular products more often, and only units the location has free
 * (a local copy of the levels, read once and counted down as the history holds or sells), so no
 * order of the history is refused and none oversells.
 */
import { availability } from '../../modules/inventory/index.ts';
import type { Queryable } from '../../platform/db.ts';
import { type DemoProduct, demoProducts } from './catalog-data.ts';
import { prng, type Rng } from './history-plan.ts';

/** The first products appear in the docs' examples (docs/stores.md counts their stock): not sold here. */
const FIRST_SOLD = 3;

export interface Item {
  sku: string;
  quantity: number;
}

export class StockModel {
  private readonly free = new Map<string, number>();
  /** Products in order of popularity (a fixed shuffle). */
  private readonly products: DemoProduct[];

  private constructor(products: DemoProduct[]) {
    this.products = products;
  }

  /** Reads the free units (on hand − reserved − safety stock) of the demo's products at `locationIds`. */
  static async load(q: Queryable, locationIds: readonly string[]): Promise<StockModel> {
    const rng = prng(0x5eed);
    const products = demoProducts()
      .slice(FIRST_SOLD)
      .map((p) => ({ p, k: rng() }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.p);
    const model = new StockModel(products);
    const levels = await availability(q, {
      skus: products.flatMap((p) => p.variants.map((v) => v.sku)),
      locationIds,
    });
    for (const l of levels) model.free.set(`${l.sku}@${l.location_id}`, Number(l.available));
    return model;
  }

  available(sku: string, locationId: string): number {
    return this.free.get(`${sku}@${locationId}`) ?? 0;
  }

  /**
   * `lines` different items free at `locationId` (at least `reserve` units left there after them),
   * popular products first, counted down at once. Fewer when the location runs short.
   */
  take(rng: Rng, locationId: string, lines: number, reserve = 0): Item[] {
    const items: Item[] = [];
    for (let tries = 0; items.length < lines && tries < 40; tries++) {
      const product = this.products[Math.floor(rng() ** 2 * this.products.length)] as DemoProduct;
      const variant = product.variants[Math.floor(rng() * product.variants.length)];
      if (!variant || items.some((i) => i.sku === variant.sku)) continue;
      const quantity = product.price < 5000 && rng() < 0.25 ? 2 : 1;
      const key = `${variant.sku}@${locationId}`;
      const free = this.free.get(key) ?? 0;
      if (free - quantity < reserve) continue;
      this.free.set(key, free - quantity);
      items.push({ sku: variant.sku, quantity });
    }
    return items;
  }

  /** Gives units back to the model (an order that was refused after all). */
  putBack(locationId: string, items: readonly Item[]): void {
    for (const i of items) {
      const key = `${i.sku}@${locationId}`;
      this.free.set(key, (this.free.get(key) ?? 0) + i.quantity);
    }
  }
}
