/** The loyalty program's settings: earning rate, rounding, tiers by 12-month spend, redemption, expiry. */
import { type Static, Type } from '@sinclair/typebox';
import type { Queryable } from '../../platform/db.ts';
import { List, Name, Obj } from '../../platform/http/schemas.ts';
import { minorUnitDigits } from '../../platform/money.ts';
import { getSetting, setSetting } from '../../platform/settings.ts';

export const LoyaltyProgram = Obj({
  enabled: Type.Boolean(),
  points_per_unit: Type.Integer({
    minimum: 0,
    maximum: 1000,
    description: 'Points per whole currency unit of qualifying spend (1 = one point per dollar)',
  }),
  rounding: Type.Union([Type.Literal('floor'), Type.Literal('round'), Type.Literal('ceil')]),
  point_value: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    description: 'Minor units a point is worth at redemption',
  }),
  auto_enroll: Type.Boolean({ description: 'Enrol customers on their first qualifying order' }),
  tiers: List(
    Obj({
      name: Name(50),
      min_spend: Type.Integer({ minimum: 0, description: 'Spend over the last 12 months, minor units' }),
      multiplier_bps: Type.Integer({ minimum: 10_000, maximum: 100_000, description: '10000 = ×1' }),
    }),
    { min: 1, max: 10 },
  ),
  expiry: Obj({
    policy: Type.Union([Type.Literal('none'), Type.Literal('fixed'), Type.Literal('inactivity')]),
    days: Type.Integer({ minimum: 1, maximum: 3650 }),
  }),
});
export type LoyaltyProgram = Static<typeof LoyaltyProgram>;
export type Tier = LoyaltyProgram['tiers'][number];

export const DEFAULT_PROGRAM: LoyaltyProgram = {
  enabled: true,
  points_per_unit: 1,
  rounding: 'floor',
  point_value: 1,
  auto_enroll: true,
  tiers: [
    { name: 'Member', min_spend: 0, multiplier_bps: 10_000 },
    { name: 'Silver', min_spend: 50_000, multiplier_bps: 12_500 },
    { name: 'Gold', min_spend: 150_000, multiplier_bps: 15_000 },
  ],
  expiry: { policy: 'fixed', days: 365 },
};

const KEY = 'loyalty.program';

export const loyaltyProgram = async (q: Queryable): Promise<LoyaltyProgram> =>
  (await getSetting<LoyaltyProgram>(q, KEY)) ?? DEFAULT_PROGRAM;

/** Tiers must start at 0 and rise strictly. Returns a reason when they do not. */
export const programProblem = (p: LoyaltyProgram): string | null => {
  if (p.tiers[0]?.min_spend !== 0) return 'the first tier must start at min_spend 0';
  for (let i = 1; i < p.tiers.length; i++) {
    if ((p.tiers[i]?.min_spend ?? 0) <= (p.tiers[i - 1]?.min_spend ?? 0)) return 'tiers must rise strictly';
  }
  return null;
};

export const saveProgram = (q: Queryable, p: LoyaltyProgram) => setSetting(q, KEY, p);

/** The tier a 12-month spend reaches. */
export const tierFor = (p: LoyaltyProgram, spend: number): Tier =>
  [...p.tiers].reverse().find((t) => spend >= t.min_spend) ?? (p.tiers[0] as Tier);

/**
 * Points for a qualifying spend, exactly: spend / 10^digits × points_per_unit × multiplier, rounded
 * as the program says (integer arithmetic, no floats).
 */
export const pointsFor = (
  p: LoyaltyProgram,
  spend: number,
  currency: string,
  multiplierBps: number,
): number => {
  if (spend <= 0 || p.points_per_unit === 0) return 0;
  const num = BigInt(spend) * BigInt(p.points_per_unit) * BigInt(multiplierBps);
  const den = 10n ** BigInt(minorUnitDigits(currency)) * 10_000n;
  const q = num / den;
  const r = num % den;
  const up = p.rounding === 'ceil' ? r > 0n : p.rounding === 'round' ? r * 2n >= den : false;
  return Number(q + (up ? 1n : 0n));
};
