/**
 * Back-office journeys in the console: (d) a manager merges two customers and undoes it; (e) a CSV
 * import with two bad rows shows their line numbers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type UiEnv, watchPage } from '../../support/browser.ts';
import { logInContext, type StaffAccount } from '../../support/browser-staff.ts';
import { unique } from './data.ts';

const openAs = async (ui: UiEnv, who: StaffAccount, path: string) => {
  const context = await ui.context('desktop');
  await logInContext(ui, context, who);
  const page = await context.newPage();
  const watched = watchPage(page);
  await page.goto(`${ui.url}/console${path}`);
  return { context, page, watched };
};

const choose = async (page: Page, side: 'survivor' | 'merged', email: string) => {
  await page.getByTestId(`merge-${side}-input`).fill(email);
  await page.getByTestId(`merge-${side}-find`).click();
  await expect.poll(() => page.getByTestId(`merge-${side}-chosen`).textContent()).toContain(email);
};

/** (d) Two profiles of one person (met online and at a counter): merged with a preview, then undone. */
export const mergeAndUndo = async (ui: UiEnv, manager: StaffAccount): Promise<void> => {
  const tag = unique();
  const online = await ui.admin<{ id: string }>('POST', '/customers', {
    first_name: 'Layla',
    last_name: `Aziz ${tag}`,
    email: `layla-${tag}@example.com`,
    source: 'api',
  });
  const counter = await ui.admin<{ id: string }>('POST', '/customers', {
    first_name: 'Layla',
    last_name: `Aziz ${tag}`,
    email: `layla.aziz-${tag}@example.com`,
    source: 'pos',
  });
  const { context, page, watched } = await openAs(ui, manager, '/customers/merge');
  try {
    await choose(page, 'survivor', `layla-${tag}@example.com`);
    await choose(page, 'merged', `layla.aziz-${tag}@example.com`);
    const preview = page.getByTestId('merge-preview');
    await expect.poll(() => preview.textContent()).toContain(`layla.aziz-${tag}@example.com`);
    await page.getByLabel('Reason (kept in the audit)').fill('Same person, confirmed at the counter');
    await page.getByTestId('merge-submit').click();
    await page.getByTestId('merge-confirm').click();
    await page.waitForURL(/\/console\/customers\/merges\//);
    await expect.poll(() => page.getByTestId('merge-status').textContent()).toBe('Merged');
    expect((await ui.admin<{ status: string }>('GET', `/customers/${counter.id}`)).status).toBe('merged');

    await page.getByTestId('merge-undo').click();
    await page.getByTestId('merge-undo-confirm').click();
    await expect.poll(() => page.getByTestId('merge-status').textContent()).toBe('Undone');
    await page.getByTestId('merge-undo-report').waitFor();
    for (const id of [online.id, counter.id])
      expect((await ui.admin<{ status: string }>('GET', `/customers/${id}`)).status).toBe('active');
    expect(watched.problems).toEqual([]);
  } finally {
    await context.close();
  }
};

/** (e) A five-line CSV (header and four rows) whose lines 3 and 5 are wrong: two rows imported, two refused. */
export const csvImportWithBadRows = async (ui: UiEnv, owner: StaffAccount): Promise<void> => {
  const tag = unique();
  const web = 'Plaza Outfitters Web';
  const rows = [
    `handle,title,status,channels,sku,option1_name,option1_value,price:${web}`,
    `e2e-scarf-${tag},E2E Scarf ${tag},published,${web},E2E-SCARF-${tag}-S,size,S,2500`,
    `e2e-scarf-${tag},E2E Scarf ${tag},published,${web},E2E-SCARF-${tag}-M,size,M,not-a-price`,
    `e2e-gloves-${tag},E2E Gloves ${tag},published,${web},E2E-GLOVES-${tag},size,One,1900`,
    `e2e-hat-${tag},E2E Hat ${tag},sometimes,${web},E2E-HAT-${tag},size,One,1500`,
  ];
  const file = join(mkdtempSync(join(tmpdir(), 'plaza-e2e-csv-')), 'products.csv');
  writeFileSync(file, `${rows.join('\n')}\n`);
  const { context, page, watched } = await openAs(ui, owner, '/catalog/import');
  try {
    await page.getByLabel('CSV file').setInputFiles(file);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const errors = page.getByTestId('import-row-error');
    await errors.first().waitFor({ timeout: 20_000 });
    const lines = await errors.evaluateAll((els) =>
      els.map((e) => Number((e as unknown as { dataset: { line: string } }).dataset.line)),
    );
    expect([...new Set(lines)].sort()).toEqual([3, 5]);
    const shown = (await page.getByTestId('import-errors').textContent()) ?? '';
    expect(shown).toContain('Line 3');
    expect(shown).toContain('Line 5');
    // The good rows are in the catalog, the bad ones are not.
    const bySku = async (sku: string) =>
      (await ui.admin<{ data: { handle: string }[] }>('GET', `/products?sku=${sku}`)).data.map(
        (p) => p.handle,
      );
    expect(await bySku(`E2E-SCARF-${tag}-S`)).toEqual([`e2e-scarf-${tag}`]);
    expect(await bySku(`E2E-GLOVES-${tag}`)).toEqual([`e2e-gloves-${tag}`]);
    expect(await bySku(`E2E-SCARF-${tag}-M`)).toEqual([]);
    expect(await bySku(`E2E-HAT-${tag}`)).toEqual([]);
    expect(watched.problems).toEqual([]);
  } finally {
    await context.close();
  }
};
