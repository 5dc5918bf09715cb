import { describe, expect, it } from 'vitest';
import type { Rules } from './data.ts';
import { prefillSegment, SEGMENT_TEMPLATES } from './prefill.ts';

const START: Rules = { all: [{ orders: { count: { op: 'gte', value: 1 }, within: { days: 90 } } }] };
const q = (s: string) => new URLSearchParams(s);

describe('prefillSegment', () => {
  it('starts from a template with the name and description given', () => {
    const p = prefillSegment(
      q('template=lapsed_single_channel&name=Lapsed+single-channel&description=Win+back'),
      START,
    );
    expect(p).toEqual({
      name: 'Lapsed single-channel',
      description: 'Win back',
      rules: SEGMENT_TEMPLATES.lapsed_single_channel,
    });
    // bought through one kind of channel, within two years but not in the last 180 days
    expect(JSON.stringify(p.rules)).toContain('"not":{"orders"');
    expect(prefillSegment(q('template=multichannel'), START).rules).toEqual({
      channelMix: { online: true, inStore: true },
    });
  });

  it('keeps the default rules for an unknown template or none, and an empty name', () => {
    expect(prefillSegment(q('template=toString'), START)).toEqual({
      name: '',
      description: '',
      rules: START,
    });
    expect(prefillSegment(q(''), START)).toEqual({ name: '', description: '', rules: START });
  });
});
