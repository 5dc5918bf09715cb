/**
 * A small pool of worker threads for the nightly run: one per core (at most `size`), each forecasting
 * the chunks of SKUs it is given. A worker that dies fails the chunks it held and is replaced.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SkuInput, SkuResult } from './compute.ts';
import type { PoolReply } from './worker-main.ts';

interface Pending {
  resolve: (r: SkuResult[]) => void;
  reject: (e: Error) => void;
}

export interface ForecastPool {
  readonly size: number;
  run(inputs: SkuInput[]): Promise<SkuResult[]>;
  close(): Promise<void>;
}

export const createPool = (size = availableParallelism()): ForecastPool => {
  const n = Math.max(1, size);
  const workers: { worker: Worker; load: number; pending: Map<number, Pending> }[] = [];
  let nextId = 1;
  const spawn = () => {
    const worker = new Worker(new URL('./worker.mjs', import.meta.url));
    const slot = { worker, load: 0, pending: new Map<number, Pending>() };
    worker.on('message', (reply: PoolReply) => {
      const p = slot.pending.get(reply.id);
      if (!p) return;
      slot.pending.delete(reply.id);
      slot.load--;
      if ('error' in reply) p.reject(new Error(`forecast worker: ${reply.error}`));
      else p.resolve(reply.results);
    });
    const fail = (e: Error) => {
      for (const p of slot.pending.values()) p.reject(e);
      slot.pending.clear();
      const i = workers.indexOf(slot);
      if (i >= 0) workers.splice(i, 1, spawn());
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (code !== 0 && workers.includes(slot)) fail(new Error(`forecast worker exited with ${code}`));
    });
    return slot;
  };
  for (let i = 0; i < n; i++) workers.push(spawn());
  return {
    size: n,
    run(inputs) {
      const slot = workers.reduce((a, b) => (b.load < a.load ? b : a));
      const id = nextId++;
      slot.load++;
      return new Promise<SkuResult[]>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.postMessage({ id, inputs });
      });
    },
    async close() {
      const all = workers.splice(0);
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
};
