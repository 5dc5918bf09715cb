import { describe, expect, it } from 'vitest';
import type { CampaignBody } from './data.ts';
import { prefillCampaign } from './prefill.ts';

const fresh = (): CampaignBody => ({
  name: '',
  media: ['email'],
  variants: [
    { key: 'a', split: 100, content: { email: { subject: '', preheader: '', html: '', text: '' } } },
  ],
  schedule: { mode: 'now' },
  holdout_percent: 0,
});
const q = (s: string) => new URLSearchParams(s);

describe('prefillCampaign', () => {
  it('takes the name, media (in the editor order, with empty content), holdout, segment and kind', () => {
    const body = prefillCampaign(
      q(
        'name=Brochure+near+Downtown&media=print,sms&medium=email&holdout_percent=10&segment_id=seg_01ABC&kind=marketing',
      ),
      fresh(),
    );
    expect(body.name).toBe('Brochure near Downtown');
    expect(body.media).toEqual(['email', 'sms', 'print']);
    expect(Object.keys(body.variants[0]?.content ?? {}).sort()).toEqual(['email', 'print', 'sms']);
    expect(body.variants[0]?.content.print).toEqual({ title: '', body: '' });
    expect(body.holdout_percent).toBe(10);
    expect(body.segment_id).toBe('seg_01ABC');
    expect(body.kind).toBe('marketing');
  });

  it('leaves the defaults for what is unknown or out of bounds', () => {
    const body = prefillCampaign(
      q('medium=fax&holdout_percent=80&segment_id=cus_1&kind=loud&name=%20%20'),
      fresh(),
    );
    expect(body).toEqual(fresh());
    expect(prefillCampaign(q('holdout_percent=12.5'), fresh()).holdout_percent).toBe(0);
    expect(prefillCampaign(q('holdout_percent=50'), fresh()).holdout_percent).toBe(50);
  });

  it('changes nothing without a query string', () => {
    expect(prefillCampaign(q(''), fresh())).toEqual(fresh());
  });
});
