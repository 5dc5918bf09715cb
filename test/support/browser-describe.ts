/** `describe` for browser tests (kept apart from browser.ts, which scripts and benchmarks import outside vitest). */
import { describe } from 'vitest';
import { browserRequired, chromiumProblem } from './browser.ts';

/**
 * `describe` for browser tests. Chromium missing: in CI the tests run and fail loudly (startUi
 * throws); elsewhere they are skipped, saying why (and only then).
 */
export const describeInBrowser = (name: string, fn: () => void): void => {
  const why = chromiumProblem();
  if (why && !browserRequired()) {
    console.warn(`\n*** Browser tests SKIPPED (${name}): ${why}. In CI they fail instead. ***\n`);
    describe.skip(name, fn);
    return;
  }
  describe(name, fn);
};
