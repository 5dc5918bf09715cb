/**
 * An assessment as a PDF report (pdfkit): the recommendation and scores as bars, the factors with
 * their points, what would change the recommendation, the projections per fiscal year (base with the
 * low–high range) for each strategy, and the next actions. In English (the Phrase texts).
 */
import PDFDocument from 'pdfkit';
import type { Assessment } from '../../modules/strategy/repo.ts';
import type { Projection, YearFigures } from '../../modules/strategy/result-schema.ts';
import { STRATEGIES } from '../../modules/strategy/schema.ts';

const COLORS = { omnichannel: '#1f6feb', multichannel: '#d97706', hybrid: '#16a34a' } as const;

const money = (minor: number, currency: string): string =>
  `${(minor / 100).toLocaleString('en-US', { maximumFractionDigits: 0 })} ${currency}`;
const pct = (r: number): string => `${Math.round(r * 100)} %`;

const heading = (doc: PDFKit.PDFDocument, text: string) => {
  if (doc.y > doc.page.height - 140) doc.addPage();
  doc.moveDown(1).font('Helvetica-Bold').fontSize(13).fillColor('#000').text(text);
  doc.moveDown(0.3).font('Helvetica').fontSize(9.5);
};

const line = (doc: PDFKit.PDFDocument, text: string) => {
  if (doc.y > doc.page.height - 70) doc.addPage();
  doc.font('Helvetica').fontSize(9.5).fillColor('#222').text(text);
};

/** Horizontal bars of the three scores, scaled to the largest absolute score. */
const scoreBars = (doc: PDFKit.PDFDocument, scores: Assessment['result']['scores']) => {
  const max = Math.max(1e-9, ...STRATEGIES.map((s) => Math.abs(scores[s])));
  const x0 = doc.page.margins.left + 90;
  const width = 300;
  for (const s of STRATEGIES) {
    const y = doc.y;
    doc.font('Helvetica').fontSize(9.5).fillColor('#000').text(s, doc.page.margins.left, y, { width: 85 });
    const w = (Math.abs(scores[s]) / max) * width;
    doc.rect(x0, y, Math.max(1, w), 10).fill(COLORS[s]);
    doc.fillColor('#000').text(scores[s].toFixed(2), x0 + width + 10, y);
    doc.x = doc.page.margins.left;
    doc.moveDown(0.4);
  }
};

const yearLine = (y: YearFigures, currency: string): string => {
  const r = (v: [number, number, number]) =>
    `${money(v[1], currency)} (${money(v[0], currency)}–${money(v[2], currency)})`;
  return (
    `FY${y.year} from ${y.fiscal_year_start}: revenue ${r(y.revenue)}; margin ${r(y.margin)}; ` +
    `channel ${money(y.channel_costs[1], currency)}, fulfilment ${money(y.fulfilment_costs[1], currency)}, ` +
    `stock carrying ${money(y.stock_carrying_costs[1], currency)}, campaigns ${money(y.campaign_spend[1], currency)}; ` +
    `retention ${pct(y.retention_rate[1])} (${pct(y.retention_rate[0])}–${pct(y.retention_rate[2])}); ` +
    `lifetime value ${money(y.customer_lifetime_value[1], currency)}`
  );
};

/** Margin per fiscal year for each strategy, base as a bar and the range as a line. */
const marginChart = (doc: PDFKit.PDFDocument, projections: Projection[]) => {
  const all = projections.flatMap((p) => p.years.flatMap((y) => y.margin));
  const max = Math.max(1, ...all.map((v) => Math.abs(v)));
  const x0 = doc.page.margins.left;
  const top = doc.y + 5;
  const h = 90;
  const baseY = top + h;
  let x = x0;
  for (const p of projections) {
    for (const y of p.years) {
      const bh = (Math.max(0, y.margin[1]) / max) * h;
      doc.rect(x, baseY - bh, 14, bh).fill(COLORS[p.strategy]);
      const lo = baseY - (Math.max(0, y.margin[0]) / max) * h;
      const hi = baseY - (Math.max(0, y.margin[2]) / max) * h;
      doc
        .moveTo(x + 7, lo)
        .lineTo(x + 7, hi)
        .strokeColor('#000')
        .lineWidth(0.8)
        .stroke();
      x += 18;
    }
    x += 14;
  }
  doc.fillColor('#000').font('Helvetica').fontSize(8);
  doc.text('Margin per fiscal year (bars: base; lines: low–high), per strategy', x0, baseY + 4);
  doc.x = x0;
  doc.moveDown(0.5);
};

export const assessmentPdf = (a: Assessment): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 50,
      info: { Title: `Plaza strategy assessment ${a.id}` },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const r = a.result;
    doc.font('Helvetica-Bold').fontSize(18).text('Strategy assessment');
    doc
      .font('Helvetica')
      .fontSize(9.5)
      .fillColor('#555')
      .text(`${a.id}, ${a.created_at} (${a.trigger}), weights v${a.weights_version}`);
    heading(doc, `Recommendation: ${r.recommendation.name.text}`);
    line(
      doc,
      `Confidence ${pct(r.confidence)}; ${r.recommendation.margin.toFixed(2)} points ahead of the next strategy.`,
    );
    if (a.change)
      line(
        doc,
        a.change.recommendation_changed
          ? `Changed from ${a.change.from}.`
          : 'Unchanged since the previous assessment.',
      );
    doc.moveDown(0.5);
    scoreBars(doc, r.scores);
    for (const w of r.warnings) line(doc, `! ${w.text}`);
    heading(doc, 'Factors');
    const top = [...r.contributions].sort(
      (x, y) =>
        Math.abs(y.points.omnichannel - y.points.multichannel) -
        Math.abs(x.points.omnichannel - x.points.multichannel),
    );
    for (const c of top)
      line(
        doc,
        `${c.factor} (${c.status}): omni ${c.points.omnichannel.toFixed(2)}, multi ${c.points.multichannel.toFixed(2)}, hybrid ${c.points.hybrid.toFixed(2)}. ${c.explanation.text}`,
      );
    heading(doc, 'What would change the recommendation');
    if (r.sensitivity.length === 0) line(doc, 'No single answer or measure within its range changes it.');
    for (const s of r.sensitivity) line(doc, s.explanation.text);
    heading(doc, 'Projections');
    for (const assumption of r.baselines.assumptions) line(doc, `Assumption: ${assumption.text}`);
    marginChart(doc, r.projections);
    for (const p of r.projections) {
      doc.font('Helvetica-Bold').fontSize(10).fillColor(COLORS[p.strategy]).text(p.strategy);
      for (const y of p.years) line(doc, yearLine(y, p.currency));
    }
    heading(doc, 'Next actions');
    for (const x of r.actions) {
      line(doc, `${x.priority}. ${x.title.text}: ${x.why.text}`);
      line(doc, `   Expected: ${x.expected_effect.text} Measured by: ${x.measured_by.text}`);
    }
    doc.end();
  });
