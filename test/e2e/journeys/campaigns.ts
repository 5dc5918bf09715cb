/**
 * (j) Campaigns in the console: an owner writes an e-mail campaign for a one-person segment, previews
 * it for that customer, schedules it; the server's worker plans and sends it into the built-in mailbox
 * (no SMTP server here); the owner reads the message in the mailbox (its HTML in a sandboxed frame)
 * and sees the campaign's results from its rollups. Then the shop's home shows a banner placement.
 */
import { expect } from 'vitest';
import { type UiEnv, watchPage } from '../../support/browser.ts';
import { logInContext, logInThroughForm, type StaffAccount } from '../../support/browser-staff.ts';
import { eventually, unique } from './data.ts';

interface Audience {
  customerId: string;
  email: string;
  firstName: string;
  segmentId: string;
}

/**
 * A customer who agreed to marketing e-mail, alone in a segment (loyalty points no one else has), and
 * no quiet hours (start = end) so the worker sends at once whatever the hour of the run.
 */
const oneCustomerSegment = async (ui: UiEnv, tag: string): Promise<Audience> => {
  const firstName = 'Lina';
  const email = `lina-${tag}@example.com`;
  const c = await ui.admin<{ id: string }>('POST', '/customers', {
    first_name: firstName,
    last_name: `Campaign ${tag}`,
    email,
    source: 'admin',
  });
  // a balance no other customer has (the API takes at most 1,000,000 points)
  const points = 100_000 + (Number.parseInt(tag.slice(0, 5), 16) % 400_000);
  await ui.admin('POST', `/customers/${c.id}/loyalty/enroll`, {});
  await ui.admin('POST', `/customers/${c.id}/loyalty/adjustments`, { points, note: 'e2e campaign audience' });
  await ui.admin('POST', `/customers/${c.id}/consents`, {
    purpose: 'marketing',
    channel: 'email',
    status: 'granted',
    // an existing customer's soft opt-in: granted at once (under 'consent' it waits for double opt-in)
    legal_basis: 'legitimate_interest',
    source: 'admin',
  });
  const settings = await ui.admin<Record<string, unknown>>('GET', '/messaging/settings');
  await ui.admin('PUT', '/messaging/settings', {
    ...settings,
    quiet_hours: { start: '00:00', end: '00:00' },
  });
  const segment = await ui.admin<{ id: string }>('POST', '/segments', {
    name: `E2E campaign audience ${tag}`,
    rules: {
      all: [{ loyalty: { points: { op: 'eq', value: points } } }, { consent: { reachable: 'email' } }],
    },
  });
  // The segment's members are evaluated on creation (or by its first full evaluation just after).
  await eventually(async () => {
    const s = await ui.admin<{ size: number }>('GET', `/segments/${segment.id}`);
    if (s.size !== 1) throw new Error(`segment size ${s.size}`);
  }, 20_000);
  return { customerId: c.id, email, firstName, segmentId: segment.id };
};

/** Logs how long each part took (the journey shares the suite's time budget). */
const timer = (what: string) => {
  const start = Date.now();
  return (step: string) => console.log(`[e2e] (j) ${what}: ${step} after ${Date.now() - start} ms`);
};

export const campaignToMailbox = async (ui: UiEnv, owner: StaffAccount): Promise<void> => {
  const tag = unique();
  const lap = timer('campaign');
  const audience = await oneCustomerSegment(ui, tag);
  lap('audience ready');
  const context = await ui.context('desktop');
  try {
    await logInContext(ui, context, owner);
    const page = await context.newPage();
    const watched = watchPage(page);
    await page.goto(`${ui.url}/console/campaigns`);

    // The editor: audience (its count), e-mail content, a preview for the customer.
    await page.getByTestId('campaign-new').click();
    await page.getByLabel('Name', { exact: true }).fill(`E2E spring ${tag}`);
    await page.getByTestId('campaign-segment').selectOption(audience.segmentId);
    await expect.poll(() => page.getByTestId('campaign-audience-count').getAttribute('data-count')).toBe('1');
    const subject = `Hello {{ customer.first_name }}, spring ${tag}`;
    await page.getByTestId('campaign-email-subject-0').fill(subject);
    await page
      .getByTestId('campaign-email-html-0')
      .fill(`<h1>Spring at Plaza</h1><p>Hi {{ customer.first_name }}!</p>`);
    await page.getByTestId('campaign-email-text-0').fill(`Hi {{ customer.first_name }}! Spring ${tag}.`);
    // an unknown variable is a template problem, shown under its field as it is typed
    await page.getByTestId('campaign-email-text-0').fill(`Hi {{ customer.nickname }}`);
    await page.getByTestId('campaign-template-problems').waitFor({ timeout: 10_000 });
    await page.getByTestId('campaign-email-text-0').fill(`Hi {{ customer.first_name }}! Spring ${tag}.`);
    await page.getByTestId('campaign-template-problems').waitFor({ state: 'detached', timeout: 10_000 });

    await page.getByTestId('campaign-preview-customer').fill(audience.email);
    await page.getByTestId('campaign-preview-button').click();
    await expect
      .poll(() => page.getByTestId('campaign-preview-subject').textContent())
      .toBe(`Hello ${audience.firstName}, spring ${tag}`);
    const frame = page.getByTestId('campaign-preview-html');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(
      await page.frameLocator('[data-testid="campaign-preview-html"]').locator('h1').textContent(),
    ).toContain('Spring at');

    // Saved as a draft, then scheduled (now) from its page.
    await page.getByTestId('campaign-save').click();
    await page.waitForURL(/\/console\/campaigns\/cmp_/);
    const campaignId = /\/campaigns\/(cmp_[^/?]+)/.exec(page.url())?.[1] ?? '';
    lap('previewed and saved');
    await page.getByTestId('campaign-schedule').click();
    await expect
      .poll(() => page.getByTestId('campaign-status').getAttribute('data-status'))
      .not.toBe('draft');
    // The server's worker plans and sends; the page polls the rollups.
    try {
      await expect
        .poll(() => page.getByTestId('campaign-total-sent').getAttribute('data-n'), { timeout: 30_000 })
        .toBe('1');
    } catch (e) {
      // what the server says, for the failure message
      const [campaign, sends] = await Promise.all([
        ui.admin('GET', `/campaigns/${campaignId}`),
        ui.admin('GET', `/campaigns/${campaignId}/sends?limit=5`),
      ]);
      throw new Error(`not sent: ${JSON.stringify({ campaign, sends })}`, { cause: e });
    }
    await expect.poll(() => page.getByTestId('campaign-result-row').count()).toBeGreaterThan(0);

    lap('sent');
    // The mailbox has the message, as the customer would have got it.
    await page.getByRole('link', { name: 'Mailbox', exact: true }).click();
    const row = page.getByTestId('mailbox-row').filter({ hasText: `spring ${tag}` });
    await row.first().waitFor({ timeout: 15_000 });
    expect(await row.first().getByTestId('mailbox-to').textContent()).toBe(audience.email);
    await row.first().getByTestId('mailbox-subject').click();
    await expect
      .poll(() => page.getByTestId('mailbox-message-subject').textContent())
      .toBe(`Hello ${audience.firstName}, spring ${tag}`);
    expect(await page.getByTestId('mailbox-html').getAttribute('sandbox')).toBe('');
    expect(await page.getByTestId('mailbox-text').textContent()).toContain(
      `Hi ${audience.firstName}! Spring ${tag}.`,
    );
    expect(await page.getByTestId('mailbox-headers').textContent()).toContain('List-Unsubscribe');

    lap('read in the mailbox');
    // Back to the campaign: its results, and the customer's message history in the 360.
    await page.goto(`${ui.url}/console/campaigns/${campaignId}`);
    await expect.poll(() => page.getByTestId('campaign-total-sent').getAttribute('data-n')).toBe('1');
    await page.goto(`${ui.url}/console/customers/${audience.customerId}?tab=messages`);
    await expect.poll(() => page.getByTestId('customer-message').count()).toBe(1);
    // The message's open pixel points at the server's configured address (http://127.0.0.1:0 when it
    // listens on a random port without PLAZA_PUBLIC_URL); the console's CSP refuses http: images.
    expect(watched.problems.filter((p) => !/Loading the image '[^']*\/t\/o\//.test(p))).toEqual([]);
  } finally {
    await context.close();
  }
};

/**
 * A banner campaign without an audience (made through the API): the shop's home shows it in its
 * `home_hero` slot to an anonymous visitor on a phone (the app view), with its link.
 */
export const homeBanner = async (ui: UiEnv): Promise<void> => {
  const tag = unique();
  const target = `${ui.url}/shop/?q=spring-${tag}`;
  const campaign = await ui.admin<{ id: string }>('POST', '/campaigns', {
    name: `E2E banner ${tag}`,
    media: ['banner'],
    variants: [
      {
        key: 'a',
        split: 100,
        content: {
          banner: { slot: 'home_hero', title: `Spring ${tag}`, body: 'Running shoes', url: target },
        },
      },
    ],
  });
  await ui.admin('POST', `/campaigns/${campaign.id}/schedule`);
  await eventually(async () => {
    const c = await ui.admin<{ status: string }>('GET', `/campaigns/${campaign.id}`);
    if (c.status !== 'sending') throw new Error(`campaign ${c.status}`);
  }, 20_000);
  const context = await ui.context('phone');
  try {
    const page = await context.newPage();
    const watched = watchPage(page);
    await page.goto(`${ui.url}/shop/`);
    const banner = page.getByTestId('placement-home_hero');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.textContent()).toContain(`Spring ${tag}`);
    expect(await banner.getByTestId('placement-link').getAttribute('href')).toBe(target);
    // a search (not the home) shows no banner
    await page.goto(`${ui.url}/shop/?q=nothing-${tag}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByTestId('placement-home_hero').count()).toBe(0);
    expect(watched.problems).toEqual([]);
  } finally {
    await context.close();
  }
};

/** A journey from the ready-made "welcome series": its steps listed, published, then paused. */
export const journeyFromTemplate = async (ui: UiEnv, owner: StaffAccount): Promise<void> => {
  const tag = unique();
  const context = await ui.context('desktop');
  try {
    await logInContext(ui, context, owner);
    const page = await context.newPage();
    const watched = watchPage(page);
    await page.goto(`${ui.url}/console/journeys`);
    await page.getByTestId('journey-new').click();
    await page.getByTestId('journey-template').selectOption('welcome');
    await page.getByLabel('Name', { exact: true }).fill(`E2E welcome ${tag}`);
    await page.getByTestId('journey-create-submit').click();
    await page.waitForURL(/\/console\/journeys\/jrn_/);
    await expect.poll(() => page.getByTestId('journey-title').textContent()).toBe(`E2E welcome ${tag}`);
    expect(await page.getByTestId('journey-step').count()).toBeGreaterThan(0);
    await page.getByTestId('journey-publish').click();
    await expect.poll(() => page.getByTestId('journey-status').getAttribute('data-status')).toBe('active');
    await page.getByTestId('journey-pause').click();
    await expect.poll(() => page.getByTestId('journey-status').getAttribute('data-status')).toBe('paused');
    expect(watched.problems).toEqual([]);
  } finally {
    await context.close();
  }
};

/**
 * The store counter: a campaign on the `pos` medium for a customer who agreed to offers in store; the
 * cashier finds the customer by loyalty card, the till lists the offer, and showing it is the
 * campaign's touch (its send becomes sent, once).
 */
export const counterOffer = async (ui: UiEnv, cashier: StaffAccount, storeName: string): Promise<void> => {
  const tag = unique();
  const c = await ui.admin<{ id: string }>('POST', '/customers', {
    first_name: 'Omar',
    last_name: `Counter ${tag}`,
    email: `omar-${tag}@example.com`,
    source: 'admin',
  });
  const points = 500_000 + (Number.parseInt(tag.slice(0, 5), 16) % 400_000);
  const card = await ui.admin<{ card_number: string }>('POST', `/customers/${c.id}/loyalty/enroll`, {});
  await ui.admin('POST', `/customers/${c.id}/loyalty/adjustments`, { points, note: 'e2e counter offer' });
  await ui.admin('POST', `/customers/${c.id}/consents`, {
    purpose: 'marketing',
    channel: 'in_store',
    status: 'granted',
    legal_basis: 'legitimate_interest',
    source: 'admin',
  });
  const segment = await ui.admin<{ id: string }>('POST', '/segments', {
    name: `E2E counter ${tag}`,
    rules: { all: [{ loyalty: { points: { op: 'eq', value: points } } }] },
  });
  await eventually(async () => {
    const s = await ui.admin<{ size: number }>('GET', `/segments/${segment.id}`);
    if (s.size !== 1) throw new Error(`segment size ${s.size}`);
  }, 20_000);
  const title = `20 % off running shoes ${tag}`;
  const campaign = await ui.admin<{ id: string }>('POST', '/campaigns', {
    name: `E2E counter ${tag}`,
    media: ['pos'],
    segment_id: segment.id,
    variants: [{ key: 'a', split: 100, content: { pos: { title, body: 'Ask at the counter' } } }],
  });
  await ui.admin('POST', `/campaigns/${campaign.id}/schedule`);
  await eventually(async () => {
    const s = await ui.admin<{ totals: Record<string, number> }>('GET', `/campaigns/${campaign.id}/stats`);
    if ((s.totals.planned ?? 0) !== 1) throw new Error('not planned yet');
  }, 20_000);

  const context = await ui.context('tablet');
  try {
    const page = await context.newPage();
    const watched = watchPage(page);
    await page.goto(`${ui.url}/pos/`);
    await page.waitForURL(/\/pos\/login/);
    await logInThroughForm(page, cashier);
    await page.getByRole('button', { name: new RegExp(storeName) }).click();
    await page.getByTestId('pos-customer-search').fill(card.card_number);
    await page.getByTestId('pos-customer-search').press('Enter');
    await page.getByRole('button', { name: 'Add to sale' }).click();
    const offer = page.getByTestId('pos-offer').filter({ hasText: title });
    await offer.waitFor({ timeout: 10_000 });
    // shown once: the send is sent (the counter's touch), and the rollup says so
    await expect
      .poll(async () => {
        const s = await ui.admin<{ totals: Record<string, number> }>(
          'GET',
          `/campaigns/${campaign.id}/stats`,
        );
        return s.totals.sent ?? 0;
      })
      .toBe(1);
    expect(watched.problems).toEqual([]);
  } finally {
    await context.close();
  }
};
