/**
 * The sender: claims due sends (sender-claim.ts), then, outside any transaction, checks the gate
 * again (consent, suppression, cap and quiet hours at send time), renders, instruments and hands each
 * message to its medium's provider with the send id as idempotency key, and records the outcome right
 * after the provider answers (the only window in which a crash can repeat an SMTP message).
 * Failed attempts are retried after 1 min, 5 min, 30 min and 2 h, then failed `provider_failed`.
 */
import {
  markSent,
  markSkipped,
  type ProviderRegistry,
  type ProviderResult,
  providers,
  recordDeliveryStatus,
  requeueSends,
  type SendRow,
  type SkipReason,
} from '../../modules/messaging/index.ts';
import type { OutgoingMessage, SentMedium } from '../../modules/messaging/types.ts';
import { isDatabaseUnavailable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { gateCheck } from './gate.ts';
import { claimSends } from './sender-claim.ts';
import { type Prepared, prepareMessages } from './sender-render.ts';
import { messagingSettings } from './sends-settings.ts';
import { bumpStats, type StatBump } from './stats.ts';
import { recordTouches, type Touch } from './touches.ts';

/** Waits after failed attempts 1–4; the 5th failure is final. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

export interface SenderOptions {
  /** the providers (default: `providers(deps)`, from the configuration) */
  registry?: ProviderRegistry;
  batch?: number;
  concurrency?: number;
  leaseMs?: number;
}

/**
 * The lease of a claimed batch: twice the provider timeout, between 5 s and 60 s. It is renewed while
 * the worker works on the batch (keepLeased), so it only has to outlive a worker that died.
 */
export const leaseFor = (deps: Pick<Deps, 'config'>): number =>
  Math.max(5_000, Math.min(60_000, 2 * deps.config.messaging.providerTimeoutMs));

/**
 * Keeps a batch's leases alive while this worker sends it. The lease value is the fence: a row whose
 * lease ran out and was claimed by another worker (a new lease_until) is left alone. Returns a stop.
 */
const keepLeased = (deps: Deps, ids: readonly string[], leaseMs: number, first: Date): (() => void) => {
  let current = first;
  let busy = false;
  const timer = setInterval(
    () => {
      if (busy) return;
      busy = true;
      const next = new Date(Math.max(deps.clock.now().getTime() + leaseMs, current.getTime()));
      deps.db
        .query(
          `UPDATE message_sends SET lease_until = $3 WHERE id = ANY($1) AND status = 'sending' AND lease_until = $2`,
          [ids, current, next],
        )
        .then(() => {
          current = next;
        })
        // the database is away: the leases may run out, and another worker re-sends with the same ids
        .catch((e: unknown) => deps.log.warn({ err: e }, 'sender: leases not renewed'))
        .finally(() => {
          busy = false;
        });
    },
    Math.max(250, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return () => clearInterval(timer);
};

/**
 * Runs `fn` over items with at most `n` in flight. An error (the database went away) stops taking new
 * items but lets those in flight finish, then is thrown: their sends stay leased and are taken again.
 */
const pool = async <T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const run = async () => {
    while (!failure && next < items.length) {
      try {
        await fn(items[next++] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, run));
  if (failure) throw failure.error;
};

/** A provider that never answers, or throws, still gives a result. */
const sendSafely = async (
  deps: Deps,
  send: () => Promise<ProviderResult>,
  name: string,
): Promise<ProviderResult> => {
  const limit = deps.config.messaging.providerTimeoutMs + 2_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      send(),
      new Promise<ProviderResult>((resolve) => {
        timer = setTimeout(
          () =>
            resolve({ ok: false, provider: name, permanent: false, error: `no answer within ${limit} ms` }),
          limit,
        );
      }),
    ]);
  } catch (e) {
    return { ok: false, provider: name, permanent: false, error: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
};

/** Records a sent message, retrying through a short database outage (the message is already out). */
const recordSent = async (deps: Deps, a: Parameters<typeof markSent>[1]): Promise<void> => {
  for (const wait of [200, 500, 1_000, 2_000, 4_000, 0]) {
    try {
      await markSent(deps.db, a);
      return;
    } catch (e) {
      if (!isDatabaseUnavailable(e) || wait === 0) throw e;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
};

interface Outcome {
  bumps: StatBump[];
  touches: Touch[];
}

const bump = (o: Outcome, s: SendRow, metric: string) => {
  if (s.campaign_id)
    o.bumps.push({ campaignId: s.campaign_id, variant: s.variant, medium: s.medium, metric });
};

/** Settles sends that will not go out now: skipped, or put back for quiet hours. */
const gate = async (deps: Deps, rows: SendRow[], now: Date, o: Outcome): Promise<SendRow[]> => {
  const settings = await messagingSettings(deps.db);
  const pass: SendRow[] = [];
  const skipped = new Map<SkipReason, SendRow[]>();
  const quiet = new Map<number, SendRow[]>();
  const groups = new Map<string, SendRow[]>();
  for (const r of rows) {
    const k = `${r.medium}:${r.marketing}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const capUsed = new Map<string, number>();
  for (const group of groups.values()) {
    const first = group[0] as SendRow;
    const decisions = await gateCheck(deps.db, deps, {
      customerIds: group.map((r) => r.customer_id),
      medium: first.medium,
      marketing: first.marketing,
      now,
      settings,
    });
    for (const r of group.sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const d = decisions.get(r.customer_id);
      if (!d?.ok) {
        const reason = d?.ok === false ? d.reason : 'erased';
        skipped.set(reason, [...(skipped.get(reason) ?? []), r]);
      } else if (d.delayUntil) {
        const t = d.delayUntil.getTime();
        quiet.set(t, [...(quiet.get(t) ?? []), r]);
      } else {
        // the cap is spent within the batch too (two media or campaigns for one person)
        const used = capUsed.get(r.customer_id) ?? 0;
        if (r.marketing && d.capLeft !== undefined && used >= d.capLeft) {
          skipped.set('capped', [...(skipped.get('capped') ?? []), r]);
          continue;
        }
        if (r.marketing) capUsed.set(r.customer_id, used + 1);
        pass.push({ ...r, address: d.address });
      }
    }
  }
  for (const [reason, list] of skipped) {
    await markSkipped(deps.db, { ids: list.map((r) => r.id), status: 'skipped', reason, at: now });
    for (const r of list) bump(o, r, `skipped:${reason}`);
  }
  for (const [t, list] of quiet)
    await requeueSends(deps.db, {
      ids: list.map((r) => r.id),
      dueAt: new Date(t),
      reason: 'quiet_hours',
      countAttempt: false,
      at: now,
    });
  return pass;
};

/** Sends one prepared message and settles its row. */
const deliver = async (deps: Deps, registry: ProviderRegistry, p: Prepared, o: Outcome): Promise<void> => {
  const s = p.send;
  const provider = registry.get(s.medium as SentMedium);
  const at = () => deps.clock.now();
  if (!provider) {
    await markSkipped(deps.db, { ids: [s.id], status: 'skipped', reason: 'no_provider', at: at() });
    bump(o, s, 'skipped:no_provider');
    return;
  }
  const message: OutgoingMessage = p.message;
  const result = await sendSafely(deps, () => provider.send(message), provider.name);
  if (result.ok) {
    const sentAt = at();
    await recordSent(deps, {
      id: s.id,
      provider: result.provider,
      providerMessageId: result.providerMessageId,
      address: message.to,
      at: sentAt,
    });
    bump(o, s, 'sent');
    o.touches.push({
      kind: 'sent',
      medium: s.medium,
      at: sentAt,
      messageId: `touch:${s.id}:sent`,
      sendId: s.id,
      campaignId: s.campaign_id,
      journeyId: s.journey_id,
      customerId: s.customer_id,
      variant: s.variant,
      holdout: false,
    });
    return;
  }
  if (result.permanent || result.bounce || s.attempts >= MAX_ATTEMPTS) {
    const failedAt = at();
    await markSkipped(deps.db, {
      ids: [s.id],
      status: 'failed',
      reason: 'provider_failed',
      error: `${result.provider}: ${result.error}`,
      at: failedAt,
      address: message.to,
    });
    bump(o, s, 'failed');
    // a refused recipient is a hard bounce: the same path as a bounce callback (suppression, touch)
    if (result.bounce)
      await deps.db.tx((tx) =>
        recordDeliveryStatus(tx, deps, {
          provider: result.provider,
          sendId: s.id,
          status: 'bounced',
          permanent: true,
          at: failedAt,
          detail: result.error,
        }),
      );
    return;
  }
  const delay = RETRY_DELAYS_MS[Math.max(0, s.attempts - 1)] ?? RETRY_DELAYS_MS.at(-1) ?? 60_000;
  await requeueSends(deps.db, {
    ids: [s.id],
    dueAt: new Date(at().getTime() + delay),
    reason: 'retry',
    error: `${result.provider}: ${result.error}`,
    countAttempt: true,
    at: at(),
  });
};

/**
 * One round of the sender: claims a batch, gates, renders and sends it; returns how many sends it
 * handled (0: nothing was due). Database errors propagate (the Worker backs off); a send claimed by a
 * round that failed is claimed again when its lease runs out.
 */
export const runSender = async (deps: Deps, opts: SenderOptions = {}): Promise<number> => {
  const cfg = deps.config.messaging;
  const batch = opts.batch ?? cfg.sendBatch;
  const now = deps.clock.now();
  const t0 = performance.now();
  const leaseMs = opts.leaseMs ?? leaseFor(deps);
  const claimed = await claimSends(deps, { now, limit: batch, leaseMs });
  if (claimed.length === 0) return 0;
  const stopLease = keepLeased(
    deps,
    claimed.map((s) => s.id),
    leaseMs,
    new Date(now.getTime() + leaseMs),
  );
  try {
    return await sendClaimed(deps, opts, claimed, now, t0);
  } finally {
    stopLease();
  }
};

const sendClaimed = async (
  deps: Deps,
  opts: SenderOptions,
  claimed: SendRow[],
  now: Date,
  t0: number,
): Promise<number> => {
  const concurrency = opts.concurrency ?? deps.config.messaging.sendConcurrency;
  const o: Outcome = { bumps: [], touches: [] };
  const exhausted = claimed.filter((s) => s.attempts > MAX_ATTEMPTS);
  if (exhausted.length) {
    await markSkipped(deps.db, {
      ids: exhausted.map((s) => s.id),
      status: 'failed',
      reason: 'provider_failed',
      error: 'too many attempts',
      at: now,
    });
    for (const s of exhausted) bump(o, s, 'failed');
  }
  const passed = await gate(
    deps,
    claimed.filter((s) => s.attempts <= MAX_ATTEMPTS),
    now,
    o,
  );
  const t1 = performance.now();
  const { ready, failed } = await prepareMessages(deps, passed);
  const t2 = performance.now();
  for (const [reason, list] of failed) {
    await markSkipped(deps.db, {
      ids: list.map((f) => f.send.id),
      status: 'skipped',
      reason,
      error: list[0]?.error,
      at: now,
    });
    for (const f of list) bump(o, f.send, `skipped:${reason}`);
  }
  const registry = opts.registry ?? providers(deps);
  try {
    await pool(ready, concurrency, (p) => deliver(deps, registry, p, o));
  } finally {
    const ms = (a: number, b: number) => Math.round(b - a);
    deps.log.debug(
      {
        claimed: claimed.length,
        gateMs: ms(t0, t1),
        renderMs: ms(t1, t2),
        sendMs: ms(t2, performance.now()),
      },
      'sender round',
    );
    // rollups and touches of what was settled, even when a later message failed the round
    if (o.bumps.length)
      await bumpStats(deps.db, o.bumps).catch((e) =>
        deps.log.error({ err: e }, 'campaign rollups not updated'),
      );
    if (o.touches.length)
      await recordTouches(deps.db, deps, o.touches).catch((e) =>
        deps.log.error({ err: e }, 'send touches not recorded'),
      );
  }
  return claimed.length;
};
