/** Placements: the content of a slot for a segment member, a holdout, an anonymous visitor; clicks; slots. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { newCampaign, newSend, newShopper, sendStatus, stat, touchEvents } from './offers-fixture.ts';
import { variantOf } from './plan.ts';

let t: TestApp;
let web: { id: string; key: string };
let member: { id: string; token: string };
let holdout: { id: string; token: string };
let stranger: { id: string; token: string };
let segmented: string;
let open: string;
let memberSend: string;
let holdoutSend: string;

const banner = (title: string) => ({
  banner: { slot: 'home_hero', title, body: 'Spring sale', url: 'https://shop.example.com/spring' },
});

beforeAll(async () => {
  t = await createTestApp();
  web = await t.channel('web');
  [member, holdout, stranger] = await Promise.all([
    newShopper(t, web.key),
    newShopper(t, web.key),
    newShopper(t, web.key),
  ]);
  segmented = await newCampaign(t, {
    media: ['banner'],
    segmentId: 'new',
    variants: [
      { key: 'a', split: 50, content: banner('A for {{ customer.first_name }}') },
      { key: 'b', split: 50, content: banner('B for {{ customer.first_name }}') },
    ],
  });
  memberSend = await newSend(t, {
    campaignId: segmented,
    customerId: member.id,
    medium: 'banner',
    variant: 'b',
  });
  holdoutSend = await newSend(t, {
    campaignId: segmented,
    customerId: holdout.id,
    medium: 'banner',
    status: 'holdout',
  });
  open = await newCampaign(t, {
    media: ['banner'],
    variants: [
      { key: 'a', split: 50, content: banner('Welcome A') },
      { key: 'b', split: 50, content: banner('Welcome B') },
    ],
  });
});
afterAll(() => t.close());

interface Content {
  slot: string;
  campaign_id: string;
  variant: string;
  title: string;
  body: string;
  url: string;
}
const get = (slot: string, o: { token?: string; anon?: string } = {}) =>
  t.call<Content>('GET', `/store/placements/${slot}${o.anon ? `?anonymous_id=${o.anon}` : ''}`, {
    key: web.key,
    ...(o.token ? { token: o.token } : {}),
  });

describe('GET /store/placements/:slot', () => {
  it("shows a segment member their arm, with a tracked link; the first impression is the campaign's touch", async () => {
    const r = await get('home_hero', { token: member.token });
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toContain('private');
    expect(r.body).toMatchObject({
      slot: 'home_hero',
      campaign_id: segmented,
      variant: 'b',
      title: 'B for Rosa',
    });
    expect(r.body.body).toBe('Spring sale');
    expect(r.body.url).toMatch(/\/t\/c\//);
    expect((await sendStatus(t, memberSend)).status).toBe('sent');
    const again = await get('home_hero', { token: member.token });
    expect(again.body.variant).toBe('b');
    expect(await stat(t, segmented, 'banner', 'sent')).toBe(1);
    const viewed = await touchEvents(t, segmented, 'Promotion Viewed');
    expect(viewed.filter((p) => p.send_id === memberSend && p.holdout === false)).toHaveLength(1);
    // following the tracked link records the click and lands on the campaign's URL
    const click = await t.call('GET', new URL(r.body.url).pathname);
    expect(click.status).toBe(302);
    expect(click.headers.location).toBe('https://shop.example.com/spring');
  });

  it('shows a holdout nothing, and records that exposure once for lift', async () => {
    for (let i = 0; i < 2; i++) expect((await get('home_hero', { token: holdout.token })).status).toBe(204);
    expect((await sendStatus(t, holdoutSend)).status).toBe('holdout');
    const exposures = (await touchEvents(t, segmented, 'Promotion Viewed')).filter(
      (p) => p.send_id === holdoutSend,
    );
    expect(exposures).toHaveLength(1);
    expect(exposures[0]).toMatchObject({ holdout: true, shown: false });
  });

  it('shows an anonymous visitor an open campaign in a stable arm; a known customer outside it sees nothing', async () => {
    const anon = 'device-7f3a91c2';
    const arm = variantOf(open, anon, [
      { key: 'a', split: 50 },
      { key: 'b', split: 50 },
    ]);
    const first = await get('home_hero', { anon });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      campaign_id: open,
      variant: arm,
      title: `Welcome ${arm.toUpperCase()}`,
    });
    expect(first.body.url).toBe('https://shop.example.com/spring');
    const viaHeader = await t.call<Content>('GET', '/store/placements/home_hero', {
      key: web.key,
      headers: { 'x-plaza-anonymous-id': anon },
    });
    expect(viaHeader.body.variant).toBe(arm);
    expect(await stat(t, open, 'banner', 'viewed')).toBe(1);
    expect((await get('home_hero', { token: stranger.token })).status).toBe(204);
    expect((await get('home_hero', { anon: 'null' })).status).toBe(400);
    expect((await get('product_detail', { anon })).status).toBe(204);
    expect((await get('no_such_slot', { anon })).status).toBe(404);

    const click = await t.call('POST', '/store/placements/home_hero/click', {
      key: web.key,
      body: { campaign_id: open, anonymous_id: anon },
    });
    expect(click.status).toBe(204);
    expect(await touchEvents(t, open, 'Promotion Clicked')).toHaveLength(1);
  });
});

describe('/admin/placements', () => {
  it('lists the slots and adds one', async () => {
    const made = await t.admin('POST', '/placements', { slot: 'app_home', name: 'App home', surface: 'app' });
    expect(made.status).toBe(201);
    expect((await t.admin('POST', '/placements', { slot: 'app_home', name: 'Again' })).status).toBe(409);
    expect((await t.admin('POST', '/placements', { slot: 'Bad Slot!', name: 'x' })).status).toBe(400);
    const list = await t.admin<{ data: { slot: string }[] }>('GET', '/placements');
    expect(list.body.data.map((p) => p.slot)).toEqual(['app_home', 'home_hero', 'product_detail']);
  });
});
