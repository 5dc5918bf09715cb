import { describe, expect, it } from 'vitest';
import {
  amountToMinor,
  type CustomerGroup,
  exportUrl,
  keyKind,
  omnichannelMultiple,
  points,
  shadeLevel,
} from './measure-data.ts';

const group = (key: string, customers: number, revenue_per_customer: number): CustomerGroup => ({
  key,
  customers,
  orders_per_customer: 1,
  aov: null,
  revenue_per_customer,
  revenue_3m: null,
  revenue_6m: null,
  revenue_12m: null,
  retention: [],
  predicted_12m: null,
  probability_alive: null,
});

describe('the figures the analytics screens compute', () => {
  it('says how many times an omnichannel customer is worth an online-only one, when both exist', () => {
    expect(omnichannelMultiple([group('online', 10, 40_00), group('both', 4, 110_00)])).toBe(2.75);
    expect(omnichannelMultiple([group('online', 10, 40_00), group('store', 3, 90_00)])).toBeNull();
    expect(omnichannelMultiple([group('online', 10, 0), group('both', 4, 110_00)])).toBeNull();
    expect(omnichannelMultiple([group('both', 4, 110_00)])).toBeNull();
  });

  it('reads an amount typed in major units as minor units of its currency', () => {
    expect(amountToMinor('1500', 'USD')).toBe(150_000);
    expect(amountToMinor('12,5', 'USD')).toBe(1250);
    expect(amountToMinor(' 0.99 ', 'EUR')).toBe(99);
    expect(amountToMinor('1500', 'JPY')).toBe(1500);
    expect(amountToMinor('1.5', 'JPY')).toBeUndefined();
    expect(amountToMinor('1.234', 'KWD')).toBe(1234);
    expect(amountToMinor('12.345', 'USD')).toBeUndefined();
    expect(amountToMinor('-5', 'USD')).toBeUndefined();
    expect(amountToMinor('', 'USD')).toBeUndefined();
    expect(amountToMinor('1e3', 'USD')).toBeUndefined();
  });

  it('shades a share in five steps, nothing for none', () => {
    expect([0, 0.01, 0.2, 0.21, 0.5, 0.99, 1].map(shadeLevel)).toEqual([0, 1, 1, 2, 3, 5, 5]);
  });

  it('writes a difference of shares in signed percentage points', () => {
    expect(points(0.021, 'en-US')).toBe('+2.1');
    expect(points(-0.0049, 'en-US')).toBe('-0.5');
    expect(points(0, 'en-US')).toBe('0');
  });

  it('tells the kinds of campaign keys apart', () => {
    expect(['cmp_01J', 'jrn_01J', 'utm:spring', 'store:loc_01J', 'email'].map(keyKind)).toEqual([
      'campaign',
      'journey',
      'ad',
      'store',
      'other',
    ]);
  });

  it("links a report's CSV export with the same query", () => {
    expect(
      exportUrl('/admin/analytics/attribution', { from: '2026-01-01', by: 'campaign', to: undefined }),
    ).toBe('/admin/analytics/attribution?from=2026-01-01&by=campaign&format=csv');
  });
});
