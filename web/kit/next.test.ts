import { describe, expect, it } from 'vitest';
import { safeNext } from './next.ts';

describe('where the login sends the user back to', () => {
  it('keeps paths of this app', () => {
    expect(safeNext('/orders?status=paid')).toBe('/orders?status=paid');
    expect(safeNext(null)).toBe('/');
  });
  it('never another site (open redirect)', () => {
    for (const bad of [
      '//evil.example/x',
      'https://evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      '',
    ])
      expect(safeNext(bad)).toBe('/');
  });
});
