/**
 * axe-core in a real page: injects node_modules/axe-core/axe.min.js and runs it on the document.
 * The UI's Content-Security-Policy forbids inline scripts, so the page's context must be made with
 * `bypassCSP: true` (only the accessibility test does that; every other test runs under the CSP).
 */
import { createRequire } from 'node:module';
import type { AxeResults, Result } from 'axe-core';
import type { Page } from 'playwright-core';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export type AxeViolation = Pick<Result, 'id' | 'impact' | 'help' | 'helpUrl'> & {
  nodes: { target: string; html: string; summary: string }[];
};

/** Runs axe on the page as it is now (WCAG 2.x A/AA and best practices); returns every violation. */
export const runAxe = async (page: Page): Promise<AxeViolation[]> => {
  const loaded = await page.evaluate(() => 'axe' in globalThis);
  if (!loaded) await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(async () => {
    // Runs in the page (no DOM types on the server side): the whole document, violations only.
    const inPage = globalThis as unknown as {
      axe: { run(context: unknown, options: object): Promise<AxeResults> };
      document: unknown;
    };
    return inPage.axe.run(inPage.document, { resultTypes: ['violations'] });
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.map(String).join(' '),
      html: n.html.slice(0, 200),
      summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300),
    })),
  }));
};

/** Violations that fail the build: impact `serious` or `critical`. */
export const seriousViolations = (all: AxeViolation[]): AxeViolation[] =>
  all.filter((v) => v.impact === 'serious' || v.impact === 'critical');

/** A readable list of violations for a failure message. */
export const formatViolations = (where: string, list: AxeViolation[]): string =>
  list
    .map(
      (v) =>
        `${where}: [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target}  ${n.html}\n      ${n.summary}`)
          .join('\n')}`,
    )
    .join('\n');
