import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { level, newLocation, newSku, stock } from '../../../test/support/stock.ts';
import { ledgerMismatches } from '../inventory/index.ts';

let t: TestApp;
let wh: string;
let supplierId: string;
beforeAll(async () => {
  t = await createTestApp();
  wh = await newLocation(t, { type: 'warehouse', pickup: false });
  const s = await t.admin<{ id: string }>('POST', '/suppliers', {
    name: 'Cascade Textiles',
    lead_time_days: 5,
  });
  supplierId = s.body.id;
});
afterAll(() => t.close());

interface PoView {
  id: string;
  status: string;
  expected_on: string;
  outstanding: number;
  lines: { sku: string; quantity: number; quantity_received: number; outstanding: number }[];
  ordered_at: string | null;
  received_at: string | null;
  cancelled_at: string | null;
}

const create = async (lines: { sku: string; quantity: number }[], over: Record<string, unknown> = {}) => {
  const r = await t.admin<PoView>('POST', '/purchase-orders', {
    supplier_id: supplierId,
    location_id: wh,
    lines,
    ...over,
  });
  if (r.status !== 201) throw new Error(`purchase order not created: ${JSON.stringify(r.body)}`);
  return r.body;
};
const act = (id: string, action: 'order' | 'receive' | 'cancel', body?: unknown, token?: string) =>
  t.admin<PoView>('POST', `/purchase-orders/${id}/${action}`, body, token);
const ordered = async (lines: { sku: string; quantity: number }[]) => {
  const po = await create(lines);
  expect((await act(po.id, 'order')).status).toBe(200);
  return po;
};
const line = (po: PoView, sku: string) => po.lines.find((l) => l.sku === sku);

describe('purchase orders', () => {
  it('go draft → ordered → partially_received → received, booking receipts in the ledger', async () => {
    const [a, b] = [newSku('PO'), newSku('PO')];
    await stock(t, a, wh, 3);
    const po = await create(
      [
        { sku: a, quantity: 10 },
        { sku: b, quantity: 4 },
      ],
      { note: 'spring restock' },
    );
    expect(po).toMatchObject({ status: 'draft', outstanding: 14, ordered_at: null });
    expect(po.id).toMatch(/^po_/);
    expect((await level(t, a, wh))?.on_hand).toBe(3);

    const early = await act(po.id, 'receive', { lines: [{ sku: a, quantity: 1 }] });
    expect([early.status, early.body.code]).toEqual([409, 'INVALID_STATE_TRANSITION']);

    t.clock.advance(60_000);
    const sent = await act(po.id, 'order');
    expect(sent.body).toMatchObject({ status: 'ordered', ordered_at: t.clock.now().toISOString() });
    expect((await act(po.id, 'order')).body.code).toBe('INVALID_STATE_TRANSITION');

    const part = await act(po.id, 'receive', {
      lines: [
        { sku: a, quantity: 4 },
        { sku: a, quantity: 2 },
      ],
      reason: 'first pallet',
    });
    expect(part.status).toBe(200);
    expect(part.body).toMatchObject({ status: 'partially_received', outstanding: 8, received_at: null });
    expect(line(part.body, a)).toEqual({ sku: a, quantity: 10, quantity_received: 6, outstanding: 4 });
    expect((await level(t, a, wh))?.on_hand).toBe(9);
    expect(await level(t, b, wh)).toBeUndefined();

    const rest = await act(po.id, 'receive', {
      lines: [
        { sku: a, quantity: 4 },
        { sku: b, quantity: 4 },
      ],
    });
    expect(rest.body).toMatchObject({
      status: 'received',
      outstanding: 0,
      received_at: t.clock.now().toISOString(),
    });
    expect((await level(t, a, wh))?.on_hand).toBe(13);
    expect((await level(t, b, wh))?.on_hand).toBe(4);

    const moves = await t.admin<{
      data: { kind: string; sku: string; on_hand_delta: number; reason: string | null }[];
    }>('GET', `/inventory/movements?reference_type=purchase_order&reference_id=${po.id}`);
    expect(moves.body.data.map((m) => [m.kind, m.sku, m.on_hand_delta, m.reason]).sort()).toEqual(
      [
        ['receipt', a, 6, 'first pallet'],
        ['receipt', a, 4, null],
        ['receipt', b, 4, null],
      ].sort(),
    );
    const ev = await t.deps.db.query<{ type: string; data: { status: string; received?: unknown } }>(
      "SELECT type, data FROM outbox_events WHERE aggregate_type = 'purchase_order' AND aggregate_id = $1 ORDER BY seq",
      [po.id],
    );
    expect(ev.rows.map((r) => [r.type, r.data.status])).toEqual([
      ['purchase_order.created', 'draft'],
      ['purchase_order.ordered', 'ordered'],
      ['purchase_order.received', 'partially_received'],
      ['purchase_order.received', 'received'],
    ]);
    expect(ev.rows[2]?.data.received).toEqual([{ sku: a, quantity: 6 }]);
    const history = await t.deps.db.query<{ from_state: string | null; to_state: string }>(
      "SELECT from_state, to_state FROM state_transitions WHERE entity_type = 'purchase_order' AND entity_id = $1 ORDER BY at, id",
      [po.id],
    );
    expect(history.rows.map((r) => `${r.from_state}→${r.to_state}`)).toEqual([
      'null→draft',
      'draft→ordered',
      'ordered→partially_received',
      'partially_received→received',
    ]);
    expect((await act(po.id, 'receive', { lines: [{ sku: a, quantity: 1 }] })).body.code).toBe(
      'INVALID_STATE_TRANSITION',
    );
    expect(await ledgerMismatches(t.deps.db)).toEqual([]);
  });

  it('refuses to receive more than is outstanding, or a SKU not on it, moving nothing', async () => {
    const [a, b] = [newSku('OVER'), newSku('OVER')];
    const po = await ordered([
      { sku: a, quantity: 5 },
      { sku: b, quantity: 5 },
    ]);
    await act(po.id, 'receive', { lines: [{ sku: a, quantity: 3 }] });
    const over = await act(po.id, 'receive', {
      lines: [
        { sku: b, quantity: 5 },
        { sku: a, quantity: 3 },
      ],
    });
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      detail: `${a}: 3 received but only 2 outstanding`,
    });
    const summed = await act(po.id, 'receive', {
      lines: [
        { sku: a, quantity: 2 },
        { sku: a, quantity: 1 },
      ],
    });
    expect(summed.body.code).toBe('VALIDATION_FAILED');
    const stranger = await act(po.id, 'receive', { lines: [{ sku: 'NOT-ON-IT', quantity: 1 }] });
    expect([stranger.status, stranger.body.detail]).toEqual([400, 'NOT-ON-IT is not on this purchase order']);
    expect((await act(po.id, 'receive', { lines: [] })).status).toBe(400);
    expect((await act(po.id, 'receive', { lines: [{ sku: a, quantity: 0 }] })).status).toBe(400);

    expect((await level(t, a, wh))?.on_hand).toBe(3);
    expect(await level(t, b, wh)).toBeUndefined();
    const now = await t.admin<PoView>('GET', `/purchase-orders/${po.id}`);
    expect(now.body).toMatchObject({ status: 'partially_received', outstanding: 7 });
  });

  it('cancels drafts and ordered ones, never once units arrived', async () => {
    const sku = newSku('CXL');
    const draft = await create([{ sku, quantity: 2 }]);
    const c1 = await act(draft.id, 'cancel');
    expect(c1.body).toMatchObject({
      status: 'cancelled',
      cancelled_at: t.clock.now().toISOString(),
      outstanding: 0,
    });
    expect(line(c1.body, sku)?.outstanding).toBe(0);
    expect((await act(draft.id, 'order')).body.code).toBe('INVALID_STATE_TRANSITION');
    expect((await act(draft.id, 'cancel')).body.code).toBe('INVALID_STATE_TRANSITION');

    const sent = await ordered([{ sku, quantity: 2 }]);
    const c2 = await act(sent.id, 'cancel', { reason: 'supplier out of stock' });
    expect(c2.body.status).toBe('cancelled');
    const ev = await t.deps.db.query<{ data: { reason: string } }>(
      "SELECT data FROM outbox_events WHERE type = 'purchase_order.cancelled' AND aggregate_id = $1",
      [sent.id],
    );
    expect(ev.rows[0]?.data.reason).toBe('supplier out of stock');

    const part = await ordered([{ sku, quantity: 2 }]);
    await act(part.id, 'receive', { lines: [{ sku, quantity: 1 }] });
    const late = await act(part.id, 'cancel');
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      code: 'INVALID_STATE_TRANSITION',
      current_status: 'partially_received',
    });
    await act(part.id, 'receive', { lines: [{ sku, quantity: 1 }] });
    expect((await act(part.id, 'cancel')).body).toMatchObject({ current_status: 'received' });

    const unknown = 'po_01JAAAAAAAAAAAAAAAAAAAAAAA';
    for (const a of ['order', 'cancel'] as const) expect((await act(unknown, a)).status).toBe(404);
    expect((await act(unknown, 'receive', { lines: [{ sku, quantity: 1 }] })).status).toBe(404);
    expect((await t.admin('GET', `/purchase-orders/${unknown}`)).status).toBe(404);
  });

  it('never receives more than ordered under concurrent receipts', async () => {
    const sku = newSku('RACE');
    const po = await ordered([{ sku, quantity: 10 }]);
    const replies = await Promise.all([
      act(po.id, 'receive', { lines: [{ sku, quantity: 6 }] }),
      act(po.id, 'receive', { lines: [{ sku, quantity: 6 }] }),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(replies.find((r) => r.status === 400)?.body.detail).toBe(
      `${sku}: 6 received but only 4 outstanding`,
    );
    expect((await level(t, sku, wh))?.on_hand).toBe(6);

    const many = await Promise.all(
      Array.from({ length: 6 }, () => act(po.id, 'receive', { lines: [{ sku, quantity: 1 }] })),
    );
    expect(many.filter((r) => r.status === 200)).toHaveLength(4);
    expect(
      many
        .filter((r) => r.status !== 200)
        .every((r) => r.body.code === 'VALIDATION_FAILED' || r.body.code === 'INVALID_STATE_TRANSITION'),
    ).toBe(true);
    const final = await t.admin<PoView>('GET', `/purchase-orders/${po.id}`);
    expect(final.body).toMatchObject({ status: 'received', outstanding: 0 });
    expect((await level(t, sku, wh))?.on_hand).toBe(10);
    expect(await ledgerMismatches(t.deps.db)).toEqual([]);
  });

  it('lets staff read and receive orders of their location only; ordering and cancelling need an admin', async () => {
    const sku = newSku('STAFF');
    const other = await newLocation(t);
    const po = await ordered([{ sku, quantity: 2 }]);
    const [mine, stranger] = [await t.staff([wh]), await t.staff([other])];
    expect((await t.admin('GET', `/purchase-orders/${po.id}`, undefined, stranger)).status).toBe(403);
    expect((await act(po.id, 'receive', { lines: [{ sku, quantity: 1 }] }, stranger)).status).toBe(403);
    expect((await act(po.id, 'receive', { lines: [{ sku, quantity: 1 }] }, mine)).status).toBe(200);
    expect((await act(po.id, 'cancel', undefined, mine)).status).toBe(403);
    const listed = await t.admin<{ data: PoView[] }>(
      'GET',
      '/purchase-orders?limit=200',
      undefined,
      stranger,
    );
    expect(listed.body.data).toEqual([]);
    const own = await t.admin<{ data: PoView[] }>('GET', '/purchase-orders?limit=200', undefined, mine);
    expect(own.body.data.map((p) => p.id)).toContain(po.id);
    expect((await t.admin('GET', `/purchase-orders?location_id=${other}`, undefined, mine)).status).toBe(403);
    const draft = await t.admin(
      'POST',
      '/purchase-orders',
      { supplier_id: supplierId, location_id: wh, lines: [{ sku, quantity: 1 }] },
      mine,
    );
    expect(draft.status).toBe(403);
  });
});
