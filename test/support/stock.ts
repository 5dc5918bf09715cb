/** Test helpers for locations and stock, through the admin API of an in-process app. */
import type { TestApp } from './app.ts';

let n = 0;

/** Creates a location (a Portland store unless told otherwise) and returns its id. */
export const newLocation = async (t: TestApp, over: Record<string, unknown> = {}): Promise<string> => {
  n++;
  const r = await t.admin<{ id: string }>('POST', '/locations', {
    name: `Location ${n} ${process.pid}`,
    type: 'store',
    address: { line1: `${n} Main St`, city: 'Portland', region: 'OR', postal_code: '97205', country: 'US' },
    latitude: 45.52,
    longitude: -122.68,
    timezone: 'America/Los_Angeles',
    pickup: true,
    ...over,
  });
  if (r.status !== 201) throw new Error(`location not created: ${JSON.stringify(r.body)}`);
  return r.body.id;
};

/** A SKU no other test uses. */
export const newSku = (prefix = 'SKU'): string =>
  `${prefix}-${++n}-${Math.random().toString(36).slice(2, 8)}`;

/** Books a receipt over HTTP and fails loudly if it is refused. */
export const stock = async (t: TestApp, sku: string, locationId: string, quantity: number): Promise<void> => {
  const r = await t.admin('POST', '/inventory/adjustments', {
    sku,
    location_id: locationId,
    kind: 'receipt',
    delta: quantity,
    reason: 'test stock',
  });
  if (r.status !== 201) throw new Error(`receipt refused: ${JSON.stringify(r.body)}`);
};

export interface LevelView {
  sku: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  available: number;
  incoming: number;
  low_stock_threshold: number | null;
  low_stock: boolean;
}

/** The level of a SKU at a location as the admin API shows it (undefined when there is none). */
export const level = async (t: TestApp, sku: string, locationId: string): Promise<LevelView | undefined> => {
  const r = await t.admin<{ data: LevelView[] }>(
    'GET',
    `/inventory/levels?sku=${encodeURIComponent(sku)}&location_id=${locationId}`,
  );
  return r.body.data[0];
};
