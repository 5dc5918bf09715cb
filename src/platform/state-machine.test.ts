import { describe, expect, it } from 'vitest';
import { PlazaError } from './errors.ts';
import { stateMachine } from './state-machine.ts';

describe('state machines', () => {
  const m = stateMachine<'open' | 'closed' | 'locked' | 'gone'>('door', {
    open: ['closed'],
    closed: ['open', 'locked'],
    locked: ['closed'],
    gone: [],
  });

  it('allows exactly the listed transitions', () => {
    expect(m.can('open', 'closed')).toBe(true);
    expect(m.can('open', 'locked')).toBe(false);
    expect(m.can('gone', 'open')).toBe(false);
  });

  it('refuses others with INVALID_STATE_TRANSITION and the allowed targets', () => {
    try {
      m.assert('open', 'locked');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PlazaError);
      expect((e as PlazaError).code).toBe('INVALID_STATE_TRANSITION');
      expect((e as PlazaError).details).toMatchObject({ from: 'open', to: 'locked', allowed: ['closed'] });
    }
    expect(() => m.assert('gone', 'open')).toThrow(/final state/);
  });

  it('rejects tables that point at unknown states', () => {
    expect(() => stateMachine('bad', { a: ['b'] } as never)).toThrow(/unknown state/);
  });
});
