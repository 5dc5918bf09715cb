import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createShop, type Shop } from '../../../test/support/shop.ts';
import { placeOrder } from '../../../test/support/stores.ts';
import { MEASURE_KEYS, type Weights } from '../../modules/strategy/schema.ts';
import { DAY, TestClock } from '../../platform/clock.ts';
import { monthlyStep } from './service.ts';

let t: TestApp;
let shop: Shop;

const ANSWERS = {
  commerce_type: 'b2c',
  category: 'fashion',
  purchase_frequency: 'monthly',
  store_count: 2,
  store_roles: ['sales', 'pickup_point'],
  goals: ['retain', 'raise_margin'],
  competitive_pressure: 'medium',
  years_in_business: 8,
  team_size: 25,
  it_maturity: 'high',
  personalisation_priority: 'medium',
  budget_per_year: 5_000_000,
  currency: 'USD',
  gross_margin_rate: 0.45,
  fiscal_year_start: 1,
};

interface AssessmentBody {
  id: string;
  previous_id: string | null;
  weights_version: number;
  measures: { key: string }[];
  result: {
    recommendation: { strategy: string; name: { text: string } };
    actions: { key: string; screen: string; prefill: Record<string, unknown> }[];
    projections: { strategy: string; years: { year: number }[] }[];
    contributions: { factor: string }[];
  };
  change: {
    recommendation_changed: boolean;
    from: string;
    to: string;
    reasons: { key: string; text: string }[];
  } | null;
}

beforeAll(async () => {
  t = await createTestApp({ clock: new TestClock('2026-03-10T15:00:00Z') });
  shop = await createShop(t, { stockTee: 100 });
  for (let i = 0; i < 3; i++) {
    await placeOrder(t, shop.web.key, [{ sku: shop.skus.tee, quantity: 1 }], { pay: 'test-card' });
    t.clock.advance(DAY);
  }
}, 120_000);
afterAll(() => t.close());

describe('questionnaire', () => {
  it('is empty at first, and an assessment before it is answered is refused with a stable code', async () => {
    const q = await t.admin('GET', '/strategy/questionnaire');
    expect(q.status).toBe(200);
    expect(q.body).toEqual({ answers: null, updated_at: null });
    const a = await t.admin('POST', '/strategy/assessments', {});
    expect(a.status).toBe(409);
    expect(a.body.code).toBe('STRATEGY_NO_ANSWERS');
  });

  it('refuses answers that are wrong or do not hold together, each on its field', async () => {
    const bad = await t.admin('PUT', '/strategy/questionnaire', { ...ANSWERS, commerce_type: 'dropship' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const twice = await t.admin('PUT', '/strategy/questionnaire', {
      ...ANSWERS,
      goals: ['retain', 'retain'],
      store_count: 0,
    });
    expect(twice.status).toBe(400);
    expect(twice.body.errors?.map((e) => e.path).sort()).toEqual(['body.goals', 'body.store_roles']);
    const margin = await t.admin('PUT', '/strategy/questionnaire', { ...ANSWERS, gross_margin_rate: 1.5 });
    expect(margin.status).toBe(400);
  });

  it('keeps the answers', async () => {
    const put = await t.admin('PUT', '/strategy/questionnaire', ANSWERS);
    expect(put.status).toBe(200);
    const get = await t.admin<{ answers: typeof ANSWERS }>('GET', '/strategy/questionnaire');
    expect(get.body.answers).toEqual(ANSWERS);
  });
});

describe('assessments', () => {
  let first: AssessmentBody;

  it('measures the shop: every measure, each with its status and method', async () => {
    const m = await t.admin<{
      currency: string;
      measures: { key: string; status: string; method: string }[];
    }>('GET', '/strategy/measures');
    expect(m.status).toBe(200);
    expect(m.body.currency).toBe('USD');
    expect(m.body.measures.map((x) => x.key).sort()).toEqual([...MEASURE_KEYS].sort());
    for (const x of m.body.measures) expect(x.method.length).toBeGreaterThan(10);
  });

  it('assesses: a recommendation, factors, projections for three years of each strategy, actions', async () => {
    const r = await t.admin<AssessmentBody>('POST', '/strategy/assessments', {});
    expect(r.status).toBe(201);
    first = r.body;
    expect(['omnichannel', 'multichannel', 'hybrid']).toContain(first.result.recommendation.strategy);
    expect(first.result.recommendation.name.text.length).toBeGreaterThan(5);
    expect(first.result.projections.map((p) => p.strategy).sort()).toEqual([
      'hybrid',
      'multichannel',
      'omnichannel',
    ]);
    for (const p of first.result.projections) expect(p.years.map((y) => y.year)).toEqual([1, 2, 3]);
    expect(first.result.actions.length).toBeGreaterThanOrEqual(3);
    expect(first.measures).toHaveLength(MEASURE_KEYS.length);
    expect(first.previous_id).toBeNull();
    expect(first.change).toBeNull();
    expect(first.weights_version).toBe(1);
    const got = await t.admin<AssessmentBody>('GET', `/strategy/assessments/${first.id}`);
    expect(got.body).toEqual(first);
  });

  it('exports the assessment as a PDF', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/admin/strategy/assessments/${first.id}/report.pdf`,
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.rawPayload.length).toBeGreaterThan(2_000);
    expect(
      (await t.admin('GET', '/strategy/assessments/sta_01J0000000000000000000000A/report.pdf')).status,
    ).toBe(404);
  });

  it('accepts an action: recorded, and answered with the screen and its prefill', async () => {
    const action = first.result.actions[0];
    if (!action) throw new Error('no action');
    const r = await t.admin('POST', '/strategy/actions/accept', {
      assessment_id: first.id,
      action_key: action.key,
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ screen: action.screen, prefill: action.prefill });
    const rows = await t.deps.db.query(
      'SELECT action_key FROM strategy_action_acceptances WHERE assessment_id = $1',
      [first.id],
    );
    expect(rows.rows).toEqual([{ action_key: action.key }]);
    const unknown = await t.admin('POST', '/strategy/actions/accept', {
      assessment_id: first.id,
      action_key: 'fly',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.path).toBe('body.action_key');
  });

  it('keeps the next assessment with what changed, and compares the two', async () => {
    // A reseller under price pressure wanting reach leans the other way (docs/strategy.md scenarios).
    const put = await t.admin('PUT', '/strategy/questionnaire', {
      ...ANSWERS,
      commerce_type: 'reseller',
      competitive_pressure: 'high',
      goals: ['reach_new', 'new_regions'],
      personalisation_priority: 'high',
      store_count: 0,
      store_roles: [],
      years_in_business: 15,
    });
    expect(put.status).toBe(200);
    const r = await t.admin<AssessmentBody>('POST', '/strategy/assessments', {});
    expect(r.status).toBe(201);
    expect(r.body.previous_id).toBe(first.id);
    expect(r.body.change?.from).toBe(first.result.recommendation.strategy);
    expect(r.body.change?.to).toBe(r.body.result.recommendation.strategy);
    // The factors that moved most, in words (the console translates the keys).
    expect(r.body.change?.reasons.length).toBeGreaterThan(0);
    for (const reason of r.body.change?.reasons ?? []) {
      expect(reason.key).toMatch(/^change\.toward_(omni|multi)channel$/);
      expect(reason.text).not.toContain('{');
    }
    expect(r.body.change?.recommendation_changed).toBe(
      first.result.recommendation.strategy !== r.body.result.recommendation.strategy,
    );
    const cmp = await t.admin<{
      inputs: { input: string; from: unknown; to: unknown }[];
      recommendation_changed: boolean;
    }>('GET', `/strategy/assessments/${r.body.id}/compare`);
    expect(cmp.status).toBe(200);
    expect(cmp.body.inputs).toContainEqual({
      input: 'commerce_type',
      source: 'answer',
      from: 'b2c',
      to: 'reseller',
    });
    const list = await t.admin<{ data: { id: string; changed: boolean }[] }>(
      'GET',
      '/strategy/assessments?limit=1',
    );
    expect(list.body.data.map((a) => a.id)).toEqual([r.body.id]);
    const noPrevious = await t.admin('GET', `/strategy/assessments/${first.id}/compare`);
    expect(noPrevious.status).toBe(400);
  });
});

describe('weights', () => {
  it('start as Plaza’s defaults (version 1), and a change is a new version with who and why', async () => {
    const w = await t.admin<{ version: number; weights: Weights }>('GET', '/strategy/weights');
    expect(w.status).toBe(200);
    expect(w.body.version).toBe(1);
    const [factor, ...rest] = w.body.weights.factors;
    if (!factor) throw new Error('no factor');
    const bad = await t.admin('PUT', '/strategy/weights', {
      reason: 'typo',
      weights: { ...w.body.weights, factors: [{ ...factor, input: 'shoe_size' }, factor, ...rest] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.path)).toEqual(
      expect.arrayContaining(['body.weights.factors.0.input', 'body.weights.factors']),
    );
    const doubled = {
      ...factor,
      weights: {
        omnichannel: factor.weights.omnichannel * 2,
        multichannel: factor.weights.multichannel * 2,
        hybrid: factor.weights.hybrid * 2,
      },
    };
    const put = await t.admin<{ version: number; reason: string }>('PUT', '/strategy/weights', {
      reason: `Our consultant weighs ${factor.key} twice`,
      weights: { ...w.body.weights, factors: [doubled, ...rest] },
    });
    expect(put.status).toBe(200);
    expect(put.body.version).toBe(2);
    const history = await t.admin<{ data: { version: number; reason: string }[] }>(
      'GET',
      '/strategy/weights/history',
    );
    expect(history.body.data.map((h) => h.version)).toEqual([2, 1]);
    expect(history.body.data[0]?.reason).toContain('twice');
    const a = await t.admin<AssessmentBody>('POST', '/strategy/assessments', {});
    expect(a.body.weights_version).toBe(2);
  });
});

describe('monthly re-run', () => {
  it('assesses once a month from fresh data, whichever worker gets there first', async () => {
    expect(await monthlyStep(t.deps)).toBe(1);
    expect(await monthlyStep(t.deps)).toBe(0);
    t.clock.advance(31 * DAY);
    const [a, b] = await Promise.all([monthlyStep(t.deps), monthlyStep(t.deps)]);
    expect((a ?? 0) + (b ?? 0)).toBe(1);
    const monthly = await t.deps.db.query<{ month: string }>(
      "SELECT month FROM strategy_assessments WHERE trigger = 'monthly' ORDER BY month",
    );
    expect(monthly.rows.map((r) => r.month)).toEqual(['2026-03', '2026-04']);
  });
});
