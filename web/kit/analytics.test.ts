import type { CDNSettings } from '@segment/analytics-next';
import { describe, expect, it } from 'vitest';
import { decimalAmount, plazaApiHost, plazaSettings } from './analytics.ts';

describe('analytics.js aimed at Plaza', () => {
  it('sends to /v1 on the page’s own host and scheme', () => {
    expect(plazaApiHost({ host: '127.0.0.1:9000', protocol: 'http:' })).toEqual({
      apiHost: '127.0.0.1:9000/v1',
      protocol: 'http',
    });
    expect(plazaApiHost({ host: 'shop.example', protocol: 'https:' }).protocol).toBe('https');
  });

  it('keeps only the Segment.io destination from the settings document, aimed at Plaza, without remote code', () => {
    const doc = {
      integrations: {
        'Segment.io': { apiKey: 'wk_x', apiHost: 'api.segment.io/v1', retryQueue: true },
        'Google Analytics': { trackingId: 'UA-1' },
      },
      remotePlugins: [{ name: 'x', url: 'https://cdn.segment.com/x.js', libraryName: 'x', settings: {} }],
      enabledMiddleware: { '@segment/some-middleware': true },
      middlewareSettings: { routingRules: [{ matchers: [], scope: 'destinations', target_type: 'x' }] },
      metrics: { sampleRate: 0.1, host: 'api.segment.io/v1' },
    } as unknown as CDNSettings;
    const s = plazaSettings(doc, { apiHost: 'shop.example/v1', protocol: 'https' });
    expect(Object.keys(s.integrations)).toEqual(['Segment.io']);
    expect(s.integrations['Segment.io']).toEqual({
      apiKey: 'wk_x',
      apiHost: 'shop.example/v1',
      protocol: 'https',
      retryQueue: true,
    });
    expect(s.remotePlugins).toEqual([]);
    expect(s.enabledMiddleware).toEqual({});
    expect(s.middlewareSettings?.routingRules).toEqual([]);
    expect(s.metrics?.sampleRate).toBe(0);
    // A document without Segment.io still gets the destination aimed at Plaza (never Segment's default host).
    const bare = plazaSettings({ integrations: {} } as unknown as CDNSettings, {
      apiHost: 'h/v1',
      protocol: 'http',
    });
    expect(bare.integrations['Segment.io']).toMatchObject({ apiHost: 'h/v1', protocol: 'http' });
  });

  it('gives prices as decimal amounts in the currency’s units', () => {
    expect(decimalAmount(1999, 'USD')).toBe(19.99);
    expect(decimalAmount(1999, 'JPY')).toBe(1999);
    expect(decimalAmount(1999, 'KWD')).toBe(1.999);
  });
});
