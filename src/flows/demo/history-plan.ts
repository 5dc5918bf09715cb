/**
 * The plan of the demo shop's history: who buys what, where and when over the last days, drawn from
 * a seeded PRNG so that the same day gives the same plan. Pure: no database, no clock of its own.
 * `history.ts` plays it through the API.
 */
import { DateTime } from 'luxon';
import { DAY, HOUR, MINUTE } from '../../platform/clock.ts';

/** A deterministic PRNG (mulberry32): the same seed draws the same numbers. */
export const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
};

export type Rng = () => number;
export const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
const between = (rng: Rng, lo: number, hi: number) => lo + rng() * (hi - lo);

export const HISTORY_DAYS = 60;
export const HISTORY_ZONE = 'America/Los_Angeles';
export const PICKUP_STORES = ['Downtown Store', 'Riverside Store', 'Hawthorne Store'] as const;
export const POS_STORES = ['Downtown Store', 'Riverside Store'] as const;
export type StoreName = (typeof PICKUP_STORES)[number];

export interface Person {
  index: number;
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  /** Enrolled in loyalty (with a card) when first seen. */
  member: boolean;
  /** Met first at a counter, else online. */
  source: 'web' | 'pos';
  home: StoreName;
  /** How often they come back, relative (some people buy often, most rarely). */
  weight: number;
}

const FIRST = (
  'Maya Liam Sofia Ethan Aiko Mateo Priya Noah Elena Omar Hana Lucas Zoe Diego Ines Kai Amara Jonas ' +
  'Leila Tomas Nadia Felix Yara Owen Chloe Ravi Mei Samuel Freya Arjun Lena Malik Clara Hugo Ayla Theo'
).split(' ');
const LAST = (
  'Chen Okafor Rossi Nguyen Tanaka Garcia Sharma Miller Novak Haddad Kim Silva Larsen Moreau Cohen ' +
  'Alvarez Mensah Fischer Petrov Lopez Brennan Sato Adeyemi Walsh Dubois Patel Wong Berg Costa Reyes Keller Ito'
).split(' ');

/** The demo's regular customers: e-mail and a Portland (971) phone, about two in five in loyalty. */
export const demoPeople = (count = 40): Person[] => {
  const rng = prng(0x9e0_1e);
  return Array.from({ length: count }, (_, i) => {
    const first = FIRST[i % FIRST.length] as string;
    const last = LAST[(i * 7 + 3) % LAST.length] as string;
    return {
      index: i,
      first_name: first,
      last_name: last,
      email: `${first}.${last}${i >= FIRST.length ? i : ''}@example.net`.toLowerCase(),
      phone: `+1971555${String(100 + i).padStart(4, '0')}`, // 555-01xx: numbers kept for fiction
      member: i % 3 === 0 || i % 7 === 1,
      source: i % 4 === 1 ? 'pos' : 'web',
      home: pick(rng, PICKUP_STORES),
      weight: 0.3 + rng() ** 3 * 4,
    };
  });
};

/** What happens to an online order after it is placed. */
export type Fate =
  | { kind: 'deliver'; shipAt: number; deliverAt: number; returnAt?: number; returnTo?: 'store' | 'mail' }
  | { kind: 'collect'; readyAt?: number; collectAt?: number }
  | { kind: 'cancel'; cancelAt: number; by: 'customer' | 'merchant' };

export interface OnlineOrder {
  kind: 'online';
  at: number;
  channel: 'web' | 'app';
  person: number | null;
  guest: string;
  pickup: StoreName | null;
  pay: 'test-card' | 'pay-in-store';
  lines: number;
  fate: Fate;
}

export interface CounterSale {
  kind: 'pos';
  at: number;
  store: (typeof POS_STORES)[number];
  person: number | null;
  pay: 'cash' | 'test-card';
  /** Pay part with loyalty points (when the customer has some). */
  points: boolean;
  lines: number;
  returnAt?: number;
}

export interface OpenCart {
  kind: 'cart';
  at: number;
  channel: 'web' | 'app';
  lines: number;
}

export type Activity = OnlineOrder | CounterSale | OpenCart;

/** More on weekends (Luxon weekday: 1 = Monday … 7 = Sunday). */
const WEEKDAY = [0, 0.8, 0.75, 0.85, 0.95, 1.2, 1.6, 1.4];

/** Opening hours of the demo stores (local): 10–20, Friday and Saturday to 21, Sunday 11–18. */
const opening = (d: DateTime): [number, number] =>
  d.weekday === 7 ? [11, 18] : d.weekday >= 5 && d.weekday <= 6 ? [10, 21] : [10, 20];

/** The instant, moved into the stores' opening hours (the next opening when it falls outside). */
export const inOpeningHours = (ms: number, rng: Rng): number => {
  const d = DateTime.fromMillis(ms, { zone: HISTORY_ZONE });
  const [open, close] = opening(d);
  if (d.hour >= open && d.hour < close) return ms;
  const next = d.hour < open ? d : d.plus({ days: 1 });
  const [o] = opening(next);
  return next
    .set({ hour: o, minute: 0, second: 0, millisecond: 0 })
    .plus({ minutes: Math.floor(rng() * 90) })
    .toMillis();
};

/** An instant of a local day: online orders all day long (mostly evenings), counter sales when open. */
const timeOfDay = (day: DateTime, rng: Rng, counter: boolean): number => {
  if (counter) {
    const [open, close] = opening(day);
    return day.plus({ minutes: Math.floor(between(rng, open * 60 + 5, close * 60 - 5)) }).toMillis();
  }
  const hour = rng() < 0.6 ? between(rng, 17, 23.5) : between(rng, 7, 17);
  return day.plus({ minutes: Math.floor(hour * 60) }).toMillis();
};

/** Poisson draw (small means): the number of events of a day. */
const poisson = (rng: Rng, mean: number): number => {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rng(); p > limit; p *= rng()) k++;
  return k;
};

const weighted = (rng: Rng, people: readonly Person[]): Person => {
  const total = people.reduce((s, p) => s + p.weight, 0);
  let r = rng() * total;
  for (const p of people) {
    r -= p.weight;
    if (r <= 0) return p;
  }
  return people[people.length - 1] as Person;
};

const fateOf = (rng: Rng, at: number, pickup: boolean): Fate => {
  if (rng() < 0.05) {
    return {
      kind: 'cancel',
      cancelAt: at + between(rng, 20, 150) * MINUTE,
      by: rng() < 0.5 ? 'customer' : 'merchant',
    };
  }
  if (pickup) {
    const readyAt = inOpeningHours(at + between(rng, 1.5, 5) * HOUR, rng);
    return { kind: 'collect', readyAt, collectAt: inOpeningHours(readyAt + between(rng, 3, 60) * HOUR, rng) };
  }
  const shipAt = inOpeningHours(at + between(rng, 14, 30) * HOUR, rng);
  const deliverAt = shipAt + between(rng, 30, 80) * HOUR;
  const returned = rng() < 0.08;
  return {
    kind: 'deliver',
    shipAt,
    deliverAt,
    ...(returned
      ? {
          returnAt: inOpeningHours(deliverAt + between(rng, 2, 9) * DAY, rng),
          returnTo: rng() < 0.6 ? 'store' : 'mail',
        }
      : {}),
  };
};

export interface PlanInput {
  /** The end of the history (now). */
  now: number;
  people: readonly Person[];
  /** Mean online orders and counter sales a day at the start (before the trend and the weekday). */
  onlinePerDay: number;
  counterPerDay: number;
  seed?: number;
}

/**
 * The history, oldest first: online orders (web 60 %, app 40 %; a third for pickup), counter sales at
 * the two stores with a POS, and a few carts left open in the last days. More on weekends, a trend of
 * about +40 % over the period. Steps that would come after `now` are left out (an order of yesterday
 * is shipped, not delivered), and the last hours get a few pickup orders nobody has prepared yet.
 */
export const planHistory = (input: PlanInput): Activity[] => {
  const rng = prng(input.seed ?? 0x91a2a);
  const out: Activity[] = [];
  const today = DateTime.fromMillis(input.now, { zone: HISTORY_ZONE }).startOf('day');
  let guests = 0;
  for (let i = 0; i < HISTORY_DAYS; i++) {
    const day = today.minus({ days: HISTORY_DAYS - 1 - i });
    const trend = 0.8 + (0.4 * i) / (HISTORY_DAYS - 1);
    const factor = (WEEKDAY[day.weekday] ?? 1) * trend;
    for (let n = poisson(rng, input.onlinePerDay * factor); n > 0; n--) {
      const at = timeOfDay(day, rng, false);
      const pickup = rng() < 0.33 ? (pick(rng, PICKUP_STORES) as StoreName) : null;
      const person = rng() < 0.65 ? weighted(rng, input.people) : null;
      out.push({
        kind: 'online',
        at,
        channel: rng() < 0.6 ? 'web' : 'app',
        person: person?.index ?? null,
        guest: `shopper.${++guests}@example.org`,
        pickup: person && pickup && rng() < 0.5 ? person.home : pickup,
        pay: pickup && rng() < 0.4 ? 'pay-in-store' : 'test-card',
        lines: 1 + poisson(rng, 0.6),
        fate: fateOf(rng, at, pickup !== null),
      });
    }
    for (let n = poisson(rng, input.counterPerDay * factor); n > 0; n--) {
      const person = rng() < 0.5 ? weighted(rng, input.people) : null;
      const at = timeOfDay(day, rng, true);
      out.push({
        kind: 'pos',
        at,
        store: pick(rng, POS_STORES),
        person: person?.index ?? null,
        pay: rng() < 0.35 ? 'cash' : 'test-card',
        points: person?.member === true && rng() < 0.35,
        lines: 1 + poisson(rng, 0.5),
        ...(rng() < 0.04 ? { returnAt: inOpeningHours(at + between(rng, 1, 6) * DAY, rng) } : {}),
      });
    }
    if (i >= HISTORY_DAYS - 4 && rng() < 0.9) {
      for (let n = 1 + Math.floor(rng() * 3); n > 0; n--) {
        out.push({
          kind: 'cart',
          at: timeOfDay(day, rng, false),
          channel: rng() < 0.6 ? 'web' : 'app',
          lines: 1 + poisson(rng, 0.8),
        });
      }
    }
  }
  // The pickup queue now: orders of the last hours, not prepared yet (nobody has marked them ready).
  for (const [k, hours] of [5, 3.2, 1.4].entries()) {
    out.push({
      kind: 'online',
      at: input.now - hours * HOUR,
      channel: k === 1 ? 'app' : 'web',
      person: null,
      guest: `shopper.${++guests}@example.org`,
      pickup: PICKUP_STORES[k] as StoreName,
      pay: k === 2 ? 'pay-in-store' : 'test-card',
      lines: 1,
      fate: { kind: 'collect' },
    });
  }
  return out.filter((a) => a.at < input.now).sort((a, b) => a.at - b.at);
};
