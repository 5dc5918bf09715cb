/** The forecasting worker thread: forecasts the SKUs it is sent (compute.ts) and answers with the results. */
import { parentPort } from 'node:worker_threads';
import { forecastSku, type SkuInput, type SkuResult } from './compute.ts';

export interface PoolRequest {
  id: number;
  inputs: SkuInput[];
}
export type PoolReply = { id: number; results: SkuResult[] } | { id: number; error: string };

parentPort?.on('message', (req: PoolRequest) => {
  try {
    const results = req.inputs.map(forecastSku);
    parentPort?.postMessage({ id: req.id, results } satisfies PoolReply);
  } catch (e) {
    parentPort?.postMessage({ id: req.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
