import { describe, expect, it } from 'vitest';
import { prefillJourney } from './prefill.ts';

const q = (s: string) => new URLSearchParams(s);

describe('prefillJourney', () => {
  it('asks for no dialog without a template, a name or new=1', () => {
    expect(prefillJourney(q(''))).toBeUndefined();
    expect(prefillJourney(q('status=active'))).toBeUndefined();
  });

  it("takes the template, the name and the template's own parameters within the API's bounds", () => {
    expect(
      prefillJourney(
        q('template=win_back&name=Win+back+lapsed&segment_id=seg_01X&days_after=60&idle_minutes=30'),
      ),
    ).toEqual({
      template: 'win_back',
      name: 'Win back lapsed',
      params: { segment_id: 'seg_01X', days_after: 60 },
    });
    expect(prefillJourney(q('template=abandoned_cart&idle_minutes=2'))).toEqual({
      template: 'abandoned_cart',
      name: '',
      params: {},
    });
    expect(prefillJourney(q('template=pickup_reminder&hours_before=24'))?.params).toEqual({
      hours_before: 24,
    });
  });

  it('opens the default template for a name or new=1 alone, and ignores an unknown template', () => {
    expect(prefillJourney(q('name=Hello'))).toEqual({
      template: 'abandoned_cart',
      name: 'Hello',
      params: {},
    });
    expect(prefillJourney(q('new=1&template=spam'))?.template).toBe('abandoned_cart');
    expect(prefillJourney(q('template=win_back&segment_id=cus_1'))?.params).toEqual({});
  });
});
