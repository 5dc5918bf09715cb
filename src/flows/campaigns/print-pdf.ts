/**
 * The printer's files of a print run: the PDF (pdfkit; one A5 page per recipient or per batch with the
 * rendered print content, the offer code in large type and its QR code leading to the shop's redeem
 * URL) and the address list as CSV (cells a spreadsheet would run are escaped by csvLine).
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { csvLine } from '../../modules/catalog/index.ts';
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { publicBaseUrl } from './links.ts';
import { displayCode, offerDescription } from './offers.ts';
import { type CampaignFacts, contentOf } from './offers-ledger.ts';
import { bareContext } from './placements.ts';
import { type PrintRecipient, type PrintRunRow, printRecipients } from './print.ts';
import { type RecipientContext, recipientContexts, renderContent } from './templates.ts';

/** Where a printed code leads: the shop with the offer applied. */
export const redeemUrl = (deps: Pick<Deps, 'config'>, code: string): string =>
  `${publicBaseUrl(deps)}/shop?offer=${encodeURIComponent(code)}`;

interface Page {
  title: string;
  body: string;
  code: string | null;
  address: string[];
}

const page = async (doc: PDFKit.PDFDocument, deps: Pick<Deps, 'config'>, p: Page): Promise<void> => {
  doc.addPage({ size: 'A5', margin: 40 });
  if (p.address.length > 0) {
    doc.font('Helvetica').fontSize(9).fillColor('#333').text(p.address.join('\n'), { align: 'right' });
    doc.moveDown(2);
  }
  doc
    .font('Helvetica-Bold')
    .fontSize(22)
    .fillColor('#000')
    .text(p.title || ' ');
  doc.moveDown(0.5);
  doc
    .font('Helvetica')
    .fontSize(12)
    .text(p.body || ' ');
  if (!p.code) return;
  doc.moveDown(1.5);
  doc.font('Helvetica').fontSize(10).text('Your code, online or in store:');
  doc.font('Courier-Bold').fontSize(34).text(displayCode(p.code));
  const qr = await QRCode.toBuffer(redeemUrl(deps, p.code), { type: 'png', margin: 1, width: 240 });
  doc.moveDown(0.5);
  doc.image(qr, { width: 120 });
};

const addressLines = (r: PrintRecipient): string[] => {
  const a = r.address;
  if (!a) return [r.name];
  return [
    a.name ?? r.name,
    a.company,
    a.line1,
    a.line2,
    [a.postal_code, a.city].filter(Boolean).join(' '),
    a.region,
    a.country,
  ].filter((x): x is string => !!x);
};

const renderPage = async (
  deps: Deps,
  c: CampaignFacts,
  variant: string | null,
  ctx: RecipientContext,
): Promise<{ title: string; body: string }> => {
  const content = contentOf(c, variant, 'print');
  if (!content) return { title: c.name, body: '' };
  try {
    const r = await renderContent('print', content.content, ctx);
    return { title: r.title ?? '', body: r.text };
  } catch (e) {
    deps.log.warn({ err: e, campaignId: c.id }, 'print content did not render; page left blank');
    return { title: '', body: '' };
  }
};

/** Writes the run's pages into the document, then ends it (errors are logged and end it too). */
export const writePrintPdf = async (
  deps: Deps,
  c: CampaignFacts,
  run: PrintRunRow,
  doc: PDFKit.PDFDocument,
): Promise<void> => {
  try {
    const description = await offerDescription(deps.db, c);
    if (run.per === 'batch') {
      let last = -1;
      for await (const chunk of printRecipients(deps.db, run)) {
        for (const r of chunk) {
          if (r.batch === last) continue;
          last = r.batch;
          const ctx = {
            ...bareContext(deps, c),
            offer: r.code ? { code: displayCode(r.code), description } : null,
          };
          await page(doc, deps, {
            ...(await renderPage(deps, c, r.variant, ctx)),
            code: r.code,
            address: [],
          });
        }
      }
    } else {
      for await (const chunk of printRecipients(deps.db, run)) {
        const contexts = await recipientContexts(
          deps.db,
          deps,
          chunk.map((r) => r.customerId),
          { productIds: c.product_ids, campaign: c },
        );
        for (const r of chunk) {
          const ctx = {
            ...(contexts.get(r.customerId) ?? bareContext(deps, c, r.customerId)),
            offer: r.code ? { code: displayCode(r.code), description } : null,
          };
          await page(doc, deps, {
            ...(await renderPage(deps, c, r.variant, ctx)),
            code: r.code,
            address: addressLines(r),
          });
        }
      }
    }
  } catch (e) {
    deps.log.error({ err: e, printRunId: run.id }, 'print run PDF failed midway');
  } finally {
    doc.end();
  }
};

export const newPrintDocument = (c: CampaignFacts, run: PrintRunRow): PDFKit.PDFDocument =>
  new PDFDocument({
    autoFirstPage: false,
    info: { Title: `${c.name} — print run ${run.id}`, Producer: 'Plaza' },
  });

export const PRINT_CSV_HEADER = [
  'name',
  'company',
  'address_line1',
  'address_line2',
  'postal_code',
  'city',
  'region',
  'country',
  'code',
];

/** The address list for the printer, one line per recipient (CSV, formula cells escaped). */
export async function* printCsv(q: Queryable, run: PrintRunRow): AsyncGenerator<string> {
  yield csvLine(PRINT_CSV_HEADER);
  for await (const chunk of printRecipients(q, run)) {
    yield chunk
      .map((r) =>
        csvLine([
          r.address?.name ?? r.name,
          r.address?.company,
          r.address?.line1,
          r.address?.line2,
          r.address?.postal_code,
          r.address?.city,
          r.address?.region,
          r.address?.country,
          r.code ? displayCode(r.code) : '',
        ]),
      )
      .join('');
  }
}
