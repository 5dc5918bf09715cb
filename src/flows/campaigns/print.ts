/**
 * Print runs (docs/campaigns.md, "Printed brochures and coupons"): the planned print rows of a
 * campaign become a run with one offer code per recipient or per batch of N. Recipients without a
 * postal address are skipped `no_address`; the gate (consent on `mail`, restrictions, the cap) is
 * asked again at print time (a recipient at the cap today stays planned for a later run). Printed rows are marked sent (provider `print`, the run id as the
 * provider's message id, so the run's recipients are found again), a `printed` touch each.
 * The PDF and the address list are made when downloaded, a page of recipients at a time.
 */
import { type AddressRow, addressesOf } from '../../modules/customers/index.ts';
import type { Queryable, Tx } from '../../platform/db.ts';
import { notFound, PlazaError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Deps } from '../../platform/module.ts';
import { gateCheck } from './gate.ts';
import { batchCodesFor, offerCodesFor } from './offers.ts';
import { type CampaignFacts, campaignFacts, markShown, markSkipped } from './offers-ledger.ts';
import { bumpStats, type StatBump } from './stats.ts';
import { recordTouches } from './touches.ts';

export interface PrintRunRow {
  id: string;
  campaign_id: string;
  per: 'recipient' | 'batch';
  recipients: number;
  batch_size: number | null;
  created_at: Date;
}

/** Recipients per transaction of a run, and per page of a download. */
export const PRINT_CHUNK = 1000;

interface Planned {
  id: string;
  customer_id: string;
  variant: string | null;
}

/** The address a brochure goes to: the default shipping address, else the oldest one. */
export const postalAddresses = async (
  q: Queryable,
  customerIds: readonly string[],
): Promise<Map<string, AddressRow>> => {
  const out = new Map<string, AddressRow>();
  for (const a of await addressesOf(q, customerIds)) {
    const cur = out.get(a.customer_id);
    if (!cur || (a.is_default_shipping && !cur.is_default_shipping)) out.set(a.customer_id, a);
  }
  return out;
};

const assertPrintable = (c: CampaignFacts | undefined, id: string): CampaignFacts => {
  if (!c) throw notFound('Campaign', id);
  if (!c.media.includes('print'))
    throw new PlazaError('UNPROCESSABLE', `Campaign ${c.name} has no print medium`, { media: c.media });
  if (c.status !== 'sending' && c.status !== 'completed') {
    throw new PlazaError(
      'CONFLICT',
      `Campaign ${c.name} is ${c.status}: print runs start once it is sending`,
      {
        status: c.status,
      },
    );
  }
  return c;
};

/** Planned print rows, the chosen ones skipped by the gate or for want of an address. */
const sortOut = async (tx: Tx, deps: Deps, c: CampaignFacts, rows: Planned[]) => {
  const now = deps.clock.now();
  const ids = rows.map((r) => r.customer_id);
  const [gate, addresses] = await Promise.all([
    gateCheck(tx, deps, { customerIds: ids, medium: 'print', marketing: c.kind === 'marketing', now }),
    postalAddresses(tx, ids),
  ]);
  const skipped = new Map<string, Planned[]>();
  const printable: Planned[] = [];
  for (const r of rows) {
    const d = gate.get(r.customer_id);
    // capped today: the row stays planned for a later run (never dropped for the cap)
    if (d && !d.ok && d.reason === 'capped') continue;
    const reason = d && !d.ok ? d.reason : addresses.has(r.customer_id) ? null : 'no_address';
    if (reason) skipped.set(reason, [...(skipped.get(reason) ?? []), r]);
    else printable.push(r);
  }
  const bumps: StatBump[] = [];
  for (const [reason, list] of skipped) {
    const done = await markSkipped(
      tx,
      list.map((r) => r.id),
      reason,
      now,
    );
    for (const r of done)
      bumps.push({ campaignId: c.id, variant: r.variant, medium: 'print', metric: `skipped:${reason}` });
  }
  await bumpStats(tx, bumps);
  return printable;
};

/**
 * Makes a print run of every planned print row of the campaign: codes per recipient (their personal
 * offer code) or one per batch of `batchSize`, rows marked sent with a `printed` touch.
 */
export const createPrintRun = async (
  deps: Deps,
  campaignId: string,
  opts: { per: 'recipient' | 'batch'; batchSize?: number },
): Promise<PrintRunRow> =>
  deps.db.tx(async (tx) => {
    const c = assertPrintable(await campaignFacts(tx, campaignId), campaignId);
    if (opts.per === 'batch' && !opts.batchSize)
      throw new PlazaError('VALIDATION_FAILED', 'A print run per batch needs batch_size', {
        errors: [{ path: 'body.batch_size', message: 'is required when per is batch' }],
      });
    const now = deps.clock.now();
    const runId = newId('prn');
    const { rows } = await tx.query<Planned>(
      `SELECT id, customer_id, variant FROM message_sends
       WHERE campaign_id = $1 AND medium = 'print' AND status = 'planned'
       ORDER BY customer_id FOR UPDATE SKIP LOCKED`,
      [c.id],
    );
    const printable: Planned[] = [];
    for (let i = 0; i < rows.length; i += PRINT_CHUNK)
      printable.push(...(await sortOut(tx, deps, c, rows.slice(i, i + PRINT_CHUNK))));
    const batchSize = opts.per === 'batch' ? (opts.batchSize ?? 1) : null;
    const [run] = (
      await tx.query<PrintRunRow>(
        `INSERT INTO print_runs (id, campaign_id, per, recipients, batch_size, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, campaign_id, per, recipients, batch_size, created_at`,
        [runId, c.id, opts.per, printable.length, batchSize, now],
      )
    ).rows as [PrintRunRow];
    const customers = printable.map((r) => r.customer_id);
    if (batchSize) {
      const batches = Math.ceil(printable.length / batchSize);
      await batchCodesFor(
        tx,
        deps,
        c,
        runId,
        Array.from({ length: batches }, () => batchSize),
      );
    } else {
      await offerCodesFor(tx, deps, c.id, customers);
      await tx.query(
        `UPDATE offer_codes SET print_run_id = $1
         WHERE campaign_id = $2 AND customer_id = ANY($3::text[]) AND print_run_id IS NULL`,
        [runId, c.id, customers],
      );
    }
    const shown = await markShown(
      tx,
      printable.map((r) => r.id),
      now,
      { provider: 'print', reference: runId },
    );
    await recordTouches(
      tx,
      deps,
      shown.map((r) => ({
        kind: 'printed' as const,
        medium: 'print' as const,
        at: now,
        messageId: `touch:${r.id}:printed`,
        sendId: r.id,
        customerId: r.customer_id,
        campaignId: c.id,
        variant: r.variant,
        properties: { print_run_id: runId },
      })),
    );
    await bumpStats(
      tx,
      shown.map((r) => ({ campaignId: c.id, variant: r.variant, medium: 'print', metric: 'sent' })),
    );
    return run;
  });

export const getPrintRun = async (q: Queryable, campaignId: string, runId: string): Promise<PrintRunRow> => {
  const run = (
    await q.query<PrintRunRow>(
      `SELECT id, campaign_id, per, recipients, batch_size, created_at FROM print_runs
       WHERE id = $1 AND campaign_id = $2`,
      [runId, campaignId],
    )
  ).rows[0];
  if (!run) throw notFound('Print run', runId);
  return run;
};

export interface PrintRecipient {
  sendId: string;
  customerId: string;
  variant: string | null;
  name: string;
  address: AddressRow | undefined;
  code: string | null;
  /** the recipient's batch (0 … ) in a run per batch; 0 otherwise */
  batch: number;
}

/** The run's recipients in customer order, a page at a time, with name, address and code. */
export async function* printRecipients(q: Queryable, run: PrintRunRow): AsyncGenerator<PrintRecipient[]> {
  const batchCodes =
    run.per === 'batch'
      ? (
          await q.query<{ code: string }>(
            'SELECT code FROM offer_codes WHERE print_run_id = $1 ORDER BY code',
            [run.id],
          )
        ).rows.map((r) => r.code)
      : [];
  let after = '';
  let index = 0;
  for (;;) {
    const { rows } = await q.query<{
      id: string;
      customer_id: string;
      variant: string | null;
      first_name: string | null;
      last_name: string | null;
      code: string | null;
    }>(
      `SELECT s.id, s.customer_id, s.variant, cu.first_name, cu.last_name, o.code
       FROM message_sends s JOIN customers cu ON cu.id = s.customer_id
       LEFT JOIN offer_codes o ON o.campaign_id = s.campaign_id AND o.customer_id = s.customer_id
       WHERE s.campaign_id = $1 AND s.medium = 'print' AND s.provider = 'print' AND s.provider_message_id = $2
         AND s.customer_id > $3
       ORDER BY s.customer_id LIMIT $4`,
      [run.campaign_id, run.id, after, PRINT_CHUNK],
    );
    if (rows.length === 0) return;
    const addresses = await postalAddresses(
      q,
      rows.map((r) => r.customer_id),
    );
    yield rows.map((r) => {
      const address = addresses.get(r.customer_id);
      const batch = run.batch_size ? Math.floor(index++ / run.batch_size) : 0;
      return {
        sendId: r.id,
        customerId: r.customer_id,
        variant: r.variant,
        name: address?.name ?? ([r.first_name, r.last_name].filter(Boolean).join(' ') || ''),
        address,
        code: run.per === 'batch' ? (batchCodes[batch] ?? null) : r.code,
        batch,
      };
    });
    after = rows.at(-1)?.customer_id ?? after;
  }
}
