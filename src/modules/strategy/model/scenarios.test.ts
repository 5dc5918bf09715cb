/**
 * The article's three scenarios (docs/strategy.md): the expected leaning and the factors that decide it,
 * ranked by their absolute contribution to the margin between the first and the second strategy.
 */
import { describe, expect, it } from 'vitest';
import type { AssessmentResult } from '../result-schema.ts';
import type { Strategy } from '../schema.ts';
import { establishedRetailer, newBrand, reseller } from './fixtures.test-util.ts';
import { assess, defaultWeights } from './index.ts';

const weights = defaultWeights();
const TODAY = '2025-03-15';

/** The factors by |points(winner) − points(runner-up)|, largest first, computed here from the points. */
const topFactors = (r: AssessmentResult, n: number): string[] => {
  const [winner, second] = (Object.keys(r.scores) as Strategy[]).sort((a, b) => r.scores[b] - r.scores[a]);
  if (!winner || !second) throw new Error('three scores expected');
  return [...r.contributions]
    .sort(
      (a, b) => Math.abs(b.points[winner] - b.points[second]) - Math.abs(a.points[winner] - a.points[second]),
    )
    .slice(0, n)
    .map((c) => c.factor);
};

describe('the article’s scenarios', () => {
  it('a new D2C brand with one store and thin loyalty data leans omnichannel, on its youth and its store', () => {
    const r = assess({ ...newBrand, weights, today: TODAY });
    expect(r.recommendation.strategy).toBe('omnichannel');
    expect(r.scores.omnichannel).toBeGreaterThan(r.scores.multichannel);
    expect(r.scores.omnichannel).toBeGreaterThan(r.scores.hybrid + weights.hybrid_margin);
    const top = topFactors(r, 3);
    // brand positioning at the start of a business, and the store used as showroom and pickup point
    expect(top).toContain('years_in_business');
    expect(top).toContain('store_roles');
    expect(top).toContain('commerce_type');
    // little data: low confidence, thin and missing measures said, the answers carry the decision
    expect(r.confidence).toBeLessThan(0.3);
    const keys = r.warnings.map((w) => w.key);
    expect(keys).toContain('warning.measure_thin');
    expect(keys).toContain('warning.measure_missing');
    expect(keys).toContain('warning.low_confidence');
    expect(r.contributions.find((c) => c.factor === 'repeat_purchase_rate')?.status).toBe('thin');
    expect(r.contributions.find((c) => c.factor === 'multichannel_customer_share')?.status).toBe('missing');
    expect(r.recommendation.omnichannel_scope).toEqual(['web', 'stores']);
    expect(r.recommendation.name.text).toBe('omnichannel across web + stores');
  });

  it('an established retailer with loyal repeat customers, many stores and high IT maturity is omnichannel', () => {
    const r = assess({ ...establishedRetailer, weights, today: TODAY });
    // Pure omnichannel, not a hybrid: its own measures (repeat and multichannel customers, their
    // value, click & collect) all say its customers already use the channels as one, which outweighs
    // the hybrid lean of a long-established business.
    expect(r.recommendation.strategy).toBe('omnichannel');
    expect(r.recommendation.margin).toBeGreaterThan(weights.hybrid_margin);
    const top = topFactors(r, 4);
    expect(top).toContain('repeat_purchase_rate');
    expect(top).toContain('multichannel_customer_share');
    expect(top).toContain('it_maturity');
    expect(r.confidence).toBe(1);
    expect(r.warnings).toEqual([]);
    expect(r.baselines.source).toBe('measured');
    expect(r.recommendation.omnichannel_scope).toEqual(['web', 'stores', 'app']);
  });

  it('a reseller in a price-competitive sector that wants reach is multichannel, on its goals and its sector', () => {
    const r = assess({ ...reseller, weights, today: TODAY });
    expect(r.recommendation.strategy).toBe('multichannel');
    expect(r.scores.multichannel).toBeGreaterThan(r.scores.hybrid + weights.hybrid_margin);
    const top = topFactors(r, 5);
    expect(top[0]).toBe('goals');
    expect(top).toContain('competitive_pressure');
    expect(top).toContain('commerce_type');
    // reach through the media that pay best, ranked by the measured ROI per medium
    expect(r.recommendation.multichannel_media.slice(0, 2)).toEqual(['ads', 'email']);
    expect(r.recommendation.name.text).toBe('multichannel reach through online ads and e-mail');
  });

  it('keeps contributions sorted by how much they separate the first two strategies', () => {
    for (const s of [newBrand, establishedRetailer, reseller]) {
      const r = assess({ ...s, weights, today: TODAY });
      expect(r.contributions.map((c) => c.factor).slice(0, 3)).toEqual(topFactors(r, 3));
    }
  });

  it('names a hybrid from the channels to join and the media measured best when the first two are close', () => {
    const close = { ...weights, hybrid_margin: 100 };
    const r = assess({ ...establishedRetailer, weights: close, today: TODAY });
    expect(r.recommendation.strategy).toBe('hybrid');
    expect(r.recommendation.omnichannel_scope).toEqual(['web', 'stores', 'app']);
    expect(r.recommendation.multichannel_media).toEqual(['email', 'brochure']);
    expect(r.recommendation.name.text).toBe(
      'omnichannel for web + stores + app, multichannel reach through e-mail and brochures',
    );
    expect(r.warnings.map((w) => w.key)).toContain('warning.close_call');
  });
});
