/**
 * Plays the demo history's plan through the API, in time order: each step runs with the clock set
 * to its instant, and what it causes later (shipping, delivery, pickup, a return) is queued at its
 * own instant. The outbox is drained as time goes, so subscribers (pickups opened on confirmation,
 * loyalty points earned on delivery) act at the right moment too.
 */
import type { PlazaClient } from '../../../client/src/index.ts';
import type { TestClock } from '../../platform/clock.ts';
import { HOUR, MINUTE } from '../../platform/clock.ts';
import type { Progress } from '../../platform/progress.ts';
import {
  addressFor,
  type Checkout,
  cancelByMerchant,
  cancelByShopper,
  counterSale,
  deliverAll,
  handOver,
  markReady,
  must,
  ok,
  placeOrder,
  returnFirstLine,
  shipAll,
} from './history-api.ts';
import {
  type Activity,
  type CounterSale,
  type OnlineOrder,
  type OpenCart,
  type Person,
  PICKUP_STORES,
  pick,
  prng,
  type Rng,
  type StoreName,
} from './history-plan.ts';
import type { StockModel } from './history-stock.ts';

export interface Counts {
  customers: number;
  loyalty_members: number;
  orders: number;
  counter_sales: number;
  pickups: number;
  returns: number;
  cancelled: number;
  carts: number;
  refused: number;
}

export interface RunContext {
  clock: TestClock;
  now: number;
  rng: Rng;
  admin: PlazaClient;
  shops: Record<'web' | 'app', PlazaClient>;
  channelIds: Record<'web' | 'app', string>;
  /** Staff of each store (by store name), and the POS channel of the stores that have one. */
  staff: Record<StoreName, PlazaClient>;
  posChannels: Partial<Record<StoreName, string>>;
  locations: Record<StoreName | 'warehouse', string>;
  people: readonly Person[];
  stock: StockModel;
  /** Runs the outbox's subscribers until nothing is pending. */
  drain(): Promise<void>;
  /** Records that the customer came from an ad on the channel at that instant (a page view with UTM). */
  adVisit?(customerId: string, channel: 'web' | 'app', at: number, ad: AdTouch): Promise<void>;
  progress?: Progress;
}

interface Step {
  at: number;
  seq: number;
  /** Needs what the outbox's subscribers do first (the pickup opened, points earned). */
  drain: boolean;
  run(): Promise<void>;
}

/** An ad a demo shopper clicked before buying: its UTM source, medium and campaign. */
export interface AdTouch {
  source: string;
  medium: string;
  name: string;
}

/** The demo's ads (docs/analytics.md: a client event with a UTM medium is a touch). */
export const DEMO_ADS: readonly AdTouch[] = [
  { source: 'google', medium: 'cpc', name: 'autumn-sale' },
  { source: 'instagram', medium: 'social', name: 'new-arrivals' },
  { source: 'partner-blog', medium: 'referral', name: 'gift-guide' },
];

/** The outbox is drained at least this often in history's time (and before a step that needs it). */
const DRAIN_EVERY = 24 * HOUR;

export const emptyCounts = (): Counts => ({
  customers: 0,
  loyalty_members: 0,
  orders: 0,
  counter_sales: 0,
  pickups: 0,
  returns: 0,
  cancelled: 0,
  carts: 0,
  refused: 0,
});

/** A queue of steps by instant (then by the order they were added). */
class Timeline {
  private steps: Step[] = [];
  private seq = 0;
  constructor(private readonly now: number) {}
  add(at: number | undefined, run: () => Promise<void>, drain = false): void {
    if (at === undefined || at >= this.now) return; // still in the future: not history yet
    this.steps.push({ at, seq: this.seq++, drain, run });
  }
  next(): Step | undefined {
    let best = -1;
    for (let i = 0; i < this.steps.length; i++) {
      const s = this.steps[i] as Step;
      const b = this.steps[best];
      if (!b || s.at < b.at || (s.at === b.at && s.seq < b.seq)) best = i;
    }
    return best < 0 ? undefined : this.steps.splice(best, 1)[0];
  }
}

/** Plays one plan; each kind of step is a method, the queue holds what comes later. */
class Player {
  readonly counts = emptyCounts();
  private readonly customers = new Map<number, string>();
  private readonly timeline: Timeline;
  private keys = 0;
  private readonly adRng = prng(0xad5);

  constructor(private readonly ctx: RunContext) {
    this.timeline = new Timeline(ctx.now);
  }

  private key(what: string): string {
    return `demo-history-${what}-${++this.keys}`;
  }

  /** The person's customer id, creating the customer (and their loyalty card) when first seen. */
  private async customerOf(index: number | null, channelId: string): Promise<string | undefined> {
    if (index === null) return undefined;
    const known = this.customers.get(index);
    if (known) return known;
    const { admin } = this.ctx;
    const p = this.ctx.people[index] as Person;
    const created = await must(
      'customer',
      admin.POST('/admin/customers', {
        body: {
          first_name: p.first_name,
          last_name: p.last_name,
          email: p.email,
          phone: p.phone,
          source: p.source === 'pos' ? 'pos' : 'api',
          channel_id: channelId,
        },
      }),
    );
    this.customers.set(index, created.id);
    this.counts.customers++;
    if (p.member) {
      const params = { path: { id: created.id } };
      const body = { channel_id: channelId };
      await must('enroll', admin.POST('/admin/customers/{id}/loyalty/enroll', { params, body }));
      await must(
        'welcome points',
        admin.POST('/admin/customers/{id}/loyalty/adjustments', {
          params,
          body: { points: 500, note: 'Welcome bonus' },
        }),
      );
      this.counts.loyalty_members++;
    }
    return created.id;
  }

  async online(a: OnlineOrder): Promise<void> {
    const { ctx } = this;
    const customerId = await this.customerOf(a.person, ctx.channelIds[a.channel]);
    const person = a.person === null ? undefined : ctx.people[a.person];
    const from = a.pickup ? ctx.locations[a.pickup] : ctx.locations.warehouse;
    const items = ctx.stock.take(ctx.rng, from, a.lines, a.pickup ? 0 : 3);
    if (items.length === 0) return;
    const name = person ? `${person.first_name} ${person.last_name}` : 'Demo Shopper';
    const placed = await placeOrder(ctx.shops[a.channel], {
      items,
      email: person?.email ?? a.guest,
      pay: a.pay,
      key: this.key('checkout'),
      ...(a.pickup ? { pickupAt: from } : { address: addressFor(name, a.person ?? this.keys) }),
    });
    if (!placed) {
      ctx.stock.putBack(from, items);
      this.counts.refused++;
      return;
    }
    this.counts.orders++;
    if (a.pickup) this.counts.pickups++;
    await this.adsBefore(a, customerId);
    this.followUp(a, placed, customerId);
  }

  /**
   * About half the known shoppers came from an ad (one or two, hours or days before): page views
   * with UTM, so the analytics have touches to attribute. A random stream of its own, so the plan's
   * draws stay the same.
   */
  private async adsBefore(a: OnlineOrder, customerId: string | undefined): Promise<void> {
    const { adVisit } = this.ctx;
    if (!adVisit || !customerId || this.adRng() >= 0.5) return;
    const n = this.adRng() < 0.3 ? 2 : 1;
    for (let i = 0; i < n; i++) {
      const ad = DEMO_ADS[Math.floor(this.adRng() * DEMO_ADS.length)] ?? DEMO_ADS[0];
      const before = Math.floor((1 + this.adRng() * 96) * HOUR);
      if (ad) await adVisit(customerId, a.channel, a.at - before, ad);
    }
  }

  /** Queues what happens to an order later; steps still in the future are left out. */
  private followUp(a: OnlineOrder, c: Checkout, customerId: string | undefined): void {
    const { ctx, timeline } = this;
    const f = a.fate;
    if (f.kind === 'cancel') {
      timeline.add(f.cancelAt, async () => {
        await (f.by === 'customer'
          ? cancelByShopper(ctx.shops[a.channel], c)
          : cancelByMerchant(ctx.admin, c.order));
        this.counts.cancelled++;
      });
    } else if (f.kind === 'deliver') {
      // Later steps come later: when one is still in the future, so are the ones after it.
      timeline.add(f.shipAt, () => shipAll(ctx.admin, c.order));
      timeline.add(f.deliverAt, () => deliverAll(ctx.admin, c.order));
      timeline.add(f.returnAt, async () => {
        const store = pick(ctx.rng, PICKUP_STORES);
        await returnFirstLine(ctx.admin, {
          orderId: c.order.id,
          locationId: f.returnTo === 'mail' ? ctx.locations.warehouse : ctx.locations[store],
          refund: customerId && ctx.rng() < 0.4 ? 'store_credit' : 'original',
          damaged: ctx.rng() < 0.2,
          key: this.key('return'),
        });
        this.counts.returns++;
      });
    } else if (a.pickup) {
      const staff = ctx.staff[a.pickup];
      timeline.add(f.readyAt, () => markReady(staff, c.order), true);
      timeline.add(f.collectAt, () => handOver(ctx.shops[a.channel], staff, c, this.key('handover')));
    }
  }

  /** The loyalty points a counter customer has (0 for none or no account). */
  private async pointsOf(customerId: string): Promise<number> {
    const account = await ok(
      'loyalty',
      this.ctx.admin.GET('/admin/customers/{id}/loyalty', {
        params: { path: { id: customerId }, query: { limit: 1 } },
      }),
      ['NOT_FOUND'],
    );
    return account?.balance ?? 0;
  }

  async counter(a: CounterSale): Promise<void> {
    const { ctx } = this;
    const channelId = ctx.posChannels[a.store];
    if (!channelId) return;
    const customerId = await this.customerOf(a.person, channelId);
    const storeId = ctx.locations[a.store];
    const items = ctx.stock.take(ctx.rng, storeId, a.lines);
    if (items.length === 0) return;
    const balance = a.points && customerId ? await this.pointsOf(customerId) : 0;
    const receipt = await counterSale(ctx.staff[a.store], {
      channelId,
      items: items.map((i) => ({ code: i.sku, quantity: i.quantity })),
      pay: a.pay,
      key: this.key('pos'),
      ...(customerId ? { customerId } : {}),
      ...(balance >= 100 ? { points: (total: number) => Math.min(balance, Math.floor(total / 2)) } : {}),
    });
    if (!receipt) {
      ctx.stock.putBack(storeId, items);
      this.counts.refused++;
      return;
    }
    this.counts.counter_sales++;
    this.timeline.add(a.returnAt, async () => {
      await returnFirstLine(ctx.staff[a.store], {
        orderId: receipt.order_id,
        locationId: storeId,
        refund: 'original',
        key: this.key('return'),
      });
      this.counts.returns++;
    });
  }

  async cart(a: OpenCart): Promise<void> {
    const { ctx } = this;
    const items = ctx.stock.take(ctx.rng, ctx.locations.warehouse, a.lines, 3);
    ctx.stock.putBack(ctx.locations.warehouse, items); // a cart holds no stock
    if (items.length === 0) return;
    await must('open cart', ctx.shops[a.channel].POST('/store/carts', { body: { items } }));
    this.counts.carts++;
  }

  /** Runs every step at its instant, draining the outbox as time goes. */
  async play(plan: readonly Activity[]): Promise<Counts> {
    const { ctx } = this;
    for (const a of plan) {
      const run = async () => {
        if (a.kind === 'online') await this.online(a);
        else if (a.kind === 'pos') await this.counter(a);
        else await this.cart(a);
        ctx.progress?.tick();
      };
      this.timeline.add(a.at, run, a.kind === 'pos' && a.points);
    }
    let drained = 0;
    for (let step = this.timeline.next(); step; step = this.timeline.next()) {
      ctx.clock.set(new Date(step.at));
      if (step.drain || step.at - drained >= DRAIN_EVERY) {
        await ctx.drain();
        drained = step.at;
      }
      await step.run();
    }
    ctx.clock.set(new Date(ctx.now - MINUTE));
    await ctx.drain();
    return this.counts;
  }
}

/** Plays the plan; answers what it made (and how many steps the stock refused: none, normally). */
export const runHistory = (ctx: RunContext, plan: readonly Activity[]): Promise<Counts> =>
  new Player(ctx).play(plan);
