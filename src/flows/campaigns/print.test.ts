/** Print runs: codes per recipient or per batch, skipped without an address, a real PDF, an escaped CSV. */
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { displayCode } from './offers.ts';
import {
  newCampaign,
  newCustomer,
  newDiscount,
  newSend,
  sendStatus,
  stat,
  touchEvents,
} from './offers-fixture.ts';

let t: TestApp;
let discountId: string;

const content = {
  print: { title: 'Hello {{ customer.first_name }}', body: 'Bring this coupon: {{ offer.code }}' },
};

beforeAll(async () => {
  t = await createTestApp();
  discountId = await newDiscount(t, 15);
});
afterAll(() => t.close());

/** The text a PDF shows (pdfkit's content streams, inflated; its strings are hex glyph codes). */
const pdfText = (pdf: Buffer): string => {
  let out = '';
  const raw = pdf.toString('latin1');
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let body: string;
    try {
      body = inflateSync(Buffer.from(m[1] as string, 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    for (const h of body.matchAll(/<([0-9a-f]+)>/g))
      out += Buffer.from(h[1] as string, 'hex').toString('latin1');
  }
  return out;
};

/** Page objects of a PDF (pdfkit writes each page dictionary uncompressed). */
const pages = (pdf: string): number => pdf.match(/\/Type \/Page\b/g)?.length ?? 0;

interface Run {
  id: string;
  recipients: number;
  pdf_url: string;
  csv_url: string;
}

describe('print runs', () => {
  it('prints one page and one personal code per recipient with an address, and lists the addresses as CSV', async () => {
    const campaign = await newCampaign(t, {
      media: ['print'],
      variants: [{ key: 'a', content }],
      offer: { discount_id: discountId, codes: 'per_recipient' },
    });
    const evil = await newCustomer(t, {
      first: 'Eve',
      address: { name: '=HYPERLINK("http://evil.example")', line1: '+1 Formula Rd', city: 'Portland' },
    });
    const ann = await newCustomer(t, {
      first: 'Ann',
      address: { name: 'Ann Lee', line1: '2 Oak St', city: 'Salem' },
    });
    const homeless = await newCustomer(t, { first: 'Hal' });
    const held = await newCustomer(t, { first: 'Hol', address: { line1: '3 Elm St' } });
    const sends = {
      evil: await newSend(t, { campaignId: campaign, customerId: evil, medium: 'print' }),
      ann: await newSend(t, { campaignId: campaign, customerId: ann, medium: 'print' }),
      homeless: await newSend(t, { campaignId: campaign, customerId: homeless, medium: 'print' }),
      held: await newSend(t, { campaignId: campaign, customerId: held, medium: 'print', status: 'holdout' }),
    };
    const r = await t.admin<Run>('POST', `/campaigns/${campaign}/print-runs`, { per: 'recipient' });
    expect(r.status).toBe(201);
    expect(r.body.recipients).toBe(2);
    expect(await sendStatus(t, sends.homeless)).toEqual({ status: 'skipped', skip_reason: 'no_address' });
    expect((await sendStatus(t, sends.held)).status).toBe('holdout');
    for (const id of [sends.evil, sends.ann]) expect((await sendStatus(t, id)).status).toBe('sent');
    expect(await stat(t, campaign, 'print', 'sent')).toBe(2);
    expect(await stat(t, campaign, 'print', 'skipped:no_address')).toBe(1);
    expect(await touchEvents(t, campaign, 'Brochure Printed')).toHaveLength(2);

    const codes = new Map(
      (
        await t.deps.db.query<{ customer_id: string; code: string }>(
          'SELECT customer_id, code FROM offer_codes WHERE print_run_id = $1',
          [r.body.id],
        )
      ).rows.map((x) => [x.customer_id, x.code]),
    );
    expect([...codes.keys()].sort()).toEqual([evil, ann].sort());

    const pdf = await t.call('GET', r.body.pdf_url, { token: t.adminToken });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.text.startsWith('%PDF')).toBe(true);
    expect(pages(pdf.text)).toBe(2);
    const raw = await t.app.inject({
      method: 'GET',
      url: r.body.pdf_url,
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    const shown = pdfText(raw.rawPayload);
    expect(shown).toContain('Hello Ann');
    expect(shown).toContain(`Bring this coupon: ${displayCode(codes.get(ann) as string)}`);
    expect(shown).toContain('2 Oak St');

    const csv = await t.call('GET', r.body.csv_url, { token: t.adminToken });
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('name,company,address_line1,address_line2,postal_code,city,region,country,code');
    expect(lines).toHaveLength(3);
    const evilLine = lines.find((l) => l.includes('evil.example')) as string;
    expect(evilLine.startsWith(`"'=HYPERLINK(""http://evil.example"")"`)).toBe(true);
    expect(evilLine).toContain(",'+1 Formula Rd,");
    expect(evilLine.endsWith(displayCode(codes.get(evil) as string))).toBe(true);
    expect(lines).toContain(`Ann Lee,,2 Oak St,,97205,Salem,,US,${displayCode(codes.get(ann) as string)}`);

    // nothing planned is left: a second run prints nobody
    const again = await t.admin<Run>('POST', `/campaigns/${campaign}/print-runs`, { per: 'recipient' });
    expect(again.body.recipients).toBe(0);
  });

  it('prints one page and one code per batch, each redeemable as often as its batch has coupons', async () => {
    const campaign = await newCampaign(t, {
      media: ['print'],
      variants: [{ key: 'a', content }],
      offer: { discount_id: discountId, codes: 'per_recipient' },
    });
    for (let i = 0; i < 5; i++) {
      const id = await newCustomer(t, { address: { line1: `${i} Batch St` } });
      await newSend(t, { campaignId: campaign, customerId: id, medium: 'print' });
    }
    const r = await t.admin<Run>('POST', `/campaigns/${campaign}/print-runs`, {
      per: 'batch',
      batch_size: 2,
    });
    expect(r.status).toBe(201);
    expect(r.body.recipients).toBe(5);
    const codes = await t.deps.db.query<{
      code: string;
      max_redemptions: number;
      customer_id: string | null;
    }>('SELECT code, max_redemptions, customer_id FROM offer_codes WHERE print_run_id = $1 ORDER BY code', [
      r.body.id,
    ]);
    expect(codes.rows).toHaveLength(3);
    for (const c of codes.rows) expect(c).toMatchObject({ max_redemptions: 2, customer_id: null });
    const pdf = await t.call('GET', r.body.pdf_url, { token: t.adminToken });
    expect(pages(pdf.text)).toBe(3);
    const csv = await t.call('GET', r.body.csv_url, { token: t.adminToken });
    const column = csv.text
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(',').at(-1));
    const first = displayCode(codes.rows[0]?.code as string);
    expect(column.slice(0, 2)).toEqual([first, first]);
    expect(new Set(column).size).toBe(3);
  });

  it('refuses a campaign without print, an unknown campaign, and a batch run without a size', async () => {
    const mail = await newCampaign(t, { media: ['email'], variants: [{ key: 'a', content: {} }] });
    expect((await t.admin('POST', `/campaigns/${mail}/print-runs`, { per: 'recipient' })).status).toBe(422);
    const printable = await newCampaign(t, { media: ['print'], variants: [{ key: 'a', content }] });
    expect((await t.admin('POST', `/campaigns/${printable}/print-runs`, { per: 'batch' })).status).toBe(400);
    expect(
      (await t.admin('POST', '/campaigns/cmp_01ARZ3NDEKTSV4RRFFQ69G5FAV/print-runs', { per: 'recipient' }))
        .status,
    ).toBe(404);
  });
});
