/**
 * The sender's claim: one short transaction that takes due sends off the queue (FOR UPDATE SKIP
 * LOCKED, so several workers share it) and leases them (status sending, lease_until, attempts + 1).
 * A send whose lease ran out (its worker died mid-send) is claimed again with the same id.
 * Order: expired leases, then journey and transactional sends (time-sensitive), then the campaigns in
 * status `sending`, each medium limited by the campaign's throttle (sends per minute, counted per
 * minute window in plaza_settings under `messaging.throttle:<campaign>:<medium>`).
 */
import { SEND_COLUMNS, type SendRow } from '../../modules/messaging/index.ts';
import { SENT_MEDIA } from '../../modules/messaging/types.ts';
import type { Tx } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';

export interface ClaimOptions {
  now: Date;
  limit: number;
  leaseMs: number;
}

/**
 * A marketing send waits while another marketing send of the same person is being sent (by any
 * worker): the cap is then checked once that one is recorded, instead of both passing it at once.
 */
const ONE_AT_A_TIME = `AND NOT (marketing AND EXISTS (SELECT 1 FROM message_sends o
  WHERE o.customer_id = message_sends.customer_id AND o.status = 'sending' AND o.marketing AND o.lease_until >= $2))`;

const lease = (tx: Tx, where: string, params: unknown[], limit: number, o: ClaimOptions) =>
  tx.query<SendRow>(
    `UPDATE message_sends SET status = 'sending', lease_until = $1, attempts = attempts + 1, updated_at = $2
     WHERE id IN (SELECT id FROM message_sends WHERE ${where} LIMIT ${Math.max(0, Math.floor(limit))}
                  FOR UPDATE SKIP LOCKED)
     RETURNING ${SEND_COLUMNS}`,
    [new Date(o.now.getTime() + o.leaseMs), o.now, ...params],
  );

interface SendingCampaign {
  id: string;
  media: string[];
  throttle: Record<string, number> | null;
  waits_for_winner: boolean;
}

/** How many more sends of this campaign and medium the throttle allows in the current minute; reserves them. */
const reserveThrottle = async (
  tx: Tx,
  key: string,
  perMinute: number,
  wanted: number,
  now: Date,
): Promise<number> => {
  const window = Math.floor(now.getTime() / 60_000);
  await tx.query(
    `INSERT INTO plaza_settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING`,
    [key, JSON.stringify({ window, n: 0 })],
  );
  const cur = (
    await tx.query<{ value: { window: number; n: number } }>(
      'SELECT value FROM plaza_settings WHERE key = $1 FOR UPDATE',
      [key],
    )
  ).rows[0]?.value;
  const used = cur && cur.window === window ? cur.n : 0;
  return Math.max(0, Math.min(wanted, perMinute - used));
};

const spendThrottle = (tx: Tx, key: string, n: number, now: Date) =>
  tx.query(
    `UPDATE plaza_settings SET value = jsonb_build_object('window', $2::bigint,
       'n', CASE WHEN (value->>'window')::bigint = $2 THEN (value->>'n')::int + $3 ELSE $3 END)
     WHERE key = $1`,
    [key, Math.floor(now.getTime() / 60_000), n],
  );

/** Claims up to `limit` due sends of the sent media; returns them leased to this worker. */
export const claimSends = async (deps: Pick<Deps, 'db'>, o: ClaimOptions): Promise<SendRow[]> =>
  deps.db.tx(
    async (tx) => {
      // One claim at a time across workers and processes: a claim sees the sends the previous one
      // leased (ONE_AT_A_TIME), so two claims at the same instant never both take a marketing send of
      // the same person and pass the frequency cap together. A claim is one short transaction; the
      // sending itself stays parallel.
      await tx.query('SELECT pg_advisory_xact_lock(7201201)');
      const media = [...SENT_MEDIA];
      const out: SendRow[] = [];
      const left = () => o.limit - out.length;
      out.push(
        ...(
          await lease(tx, `status = 'sending' AND lease_until < $2 AND medium = ANY($3)`, [media], left(), o)
        ).rows,
      );
      if (left() > 0)
        out.push(
          ...(
            await lease(
              tx,
              `status = 'planned' AND due_at <= $2 AND campaign_id IS NULL AND medium = ANY($3) ${ONE_AT_A_TIME}
               ORDER BY due_at`,
              [media],
              left(),
              o,
            )
          ).rows,
        );
      if (left() <= 0) return out;
      const campaigns = (
        await tx.query<SendingCampaign>(
          `SELECT id, media, throttle, (winner IS NOT NULL AND winner_variant IS NULL) AS waits_for_winner
           FROM campaigns WHERE status = 'sending' ORDER BY started_at NULLS LAST, id`,
        )
      ).rows;
      for (const c of campaigns) {
        for (const medium of c.media.filter((m) => (media as string[]).includes(m)).sort()) {
          if (left() <= 0) return out;
          const perMinute = c.throttle?.[medium];
          const key = `messaging.throttle:${c.id}:${medium}`;
          const allowed =
            typeof perMinute === 'number' && perMinute > 0
              ? await reserveThrottle(tx, key, perMinute, left(), o.now)
              : left();
          if (allowed <= 0) continue;
          // rows of a campaign waiting for its A/B winner have no variant yet: they wait
          const rows = (
            await lease(
              tx,
              `campaign_id = $3 AND status = 'planned' AND medium = $4 AND due_at <= $2${
                c.waits_for_winner ? ' AND variant IS NOT NULL' : ''
              } ${ONE_AT_A_TIME}`,
              [c.id, medium],
              allowed,
              o,
            )
          ).rows;
          if (typeof perMinute === 'number' && perMinute > 0 && rows.length > 0)
            await spendThrottle(tx, key, rows.length, o.now);
          out.push(...rows);
        }
      }
      return out;
    },
    { retries: 3 },
  );
