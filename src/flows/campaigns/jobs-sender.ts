/** The sender job (sender.ts): runs whenever sends are due, woken by NOTIFY plaza_sends. */
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import type { Job } from '../../platform/worker.ts';
import { runSender } from './sender.ts';

/** NOTIFY channel that wakes the sender (planner, journeys, transactional sends). */
export const SENDS_CHANNEL = 'plaza_sends';

/** Wakes the senders of every process (after new sends were enqueued, on commit). */
export const wakeSender = async (q: Queryable): Promise<void> => {
  await q.query(`SELECT pg_notify('${SENDS_CHANNEL}', '')`);
};

export const senderJobs = (deps: Deps): Job[] => [
  { name: 'campaign-sender', intervalMs: 1_000, wakeOn: SENDS_CHANNEL, runOnce: () => runSender(deps) },
];
