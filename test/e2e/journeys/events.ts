/**
 * (h) Customer data in the console: an owner creates an event source, sees its write key and the
 * analytics.js snippet filled with it, sends one event to /v1/track with that key (as a library
 * would) and sees it arrive in the live debugger; then opens the segment builder and sees a live
 * count that agrees with the API's preview.
 */
import { expect } from 'vitest';
import { type UiEnv, watchPage } from '../../support/browser.ts';
import { logInContext, type StaffAccount } from '../../support/browser-staff.ts';
import { unique } from './data.ts';

export const sourceDebuggerAndSegmentCount = async (ui: UiEnv, owner: StaffAccount): Promise<void> => {
  const tag = unique();
  const context = await ui.context('desktop');
  try {
    await logInContext(ui, context, owner);
    const page = await context.newPage();
    const watched = watchPage(page);
    await page.goto(`${ui.url}/console/sources`);

    // Create a web source: the console issues its first write key and opens the source.
    await page.getByTestId('source-create').click();
    await page.getByLabel('Name', { exact: true }).fill(`E2E web ${tag}`);
    await page.getByTestId('source-create-submit').click();
    await page.waitForURL(/\/console\/sources\/src_/);
    const key = (await page.getByTestId('write-key-value').first().textContent())?.trim() ?? '';
    expect(key).toMatch(/^wk_[A-Za-z0-9_-]{32}$/);
    const snippet = (await page.getByTestId('snippet-browser').textContent()) ?? '';
    expect(snippet).toContain(`writeKey: '${key}'`);
    expect(snippet).toContain(`cdnURL: '${ui.url}'`);
    expect(snippet).toContain(`apiHost: '${new URL(ui.url).host}/v1'`);

    // The debugger is open before the event is sent: it must show up while the page polls.
    await page.getByTestId('source-debugger').click();
    await page.getByRole('heading', { name: 'Live debugger' }).waitFor();
    const event = `E2E Debugger Check ${tag}`;
    const res = await fetch(`${ui.url}/v1/track`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
      },
      body: JSON.stringify({ anonymousId: `anon-${tag}`, event, properties: { tag } }),
    });
    expect(res.status).toBe(200);
    await expect
      .poll(() => page.getByTestId('debugger-event-name').allTextContents(), { timeout: 10_000 })
      .toContain(event);

    // The segment builder (reached through the navigation, no reload) starts with a condition and
    // counts who matches, as the API does.
    const rules = { all: [{ orders: { count: { op: 'gte', value: 1 }, within: { days: 90 } } }] };
    const api = ui.admin<{ count: number }>('POST', '/segments/preview', { rules });
    await page.getByRole('link', { name: 'Segments', exact: true }).click();
    await page.getByTestId('segment-new').click();
    const count = page.getByTestId('segment-preview-count');
    await count.waitFor();
    const expected = String((await api).count);
    await expect.poll(() => count.getAttribute('data-count'), { timeout: 10_000 }).toBe(expected);
    expect(watched.problems).toEqual([]);
  } finally {
    await context.close();
  }
};
