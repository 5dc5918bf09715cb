/** A closed-loop HTTP load generator: C clients, each sending its next request when the last answered. */
import { Agent, request } from 'node:http';

export interface Result {
  name: string;
  ops: number;
  errors: number;
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
}

export interface HttpCall {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

const agents = new Map<string, Agent>();

/** One HTTP request on a keep-alive connection. */
export const send = (base: string, c: HttpCall): Promise<HttpAnswer> => {
  const u = new URL(base);
  let agent = agents.get(base);
  if (!agent) {
    agent = new Agent({ keepAlive: true, maxSockets: 256 });
    agents.set(base, agent);
  }
  const payload = c.body === undefined ? undefined : JSON.stringify(c.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: u.hostname,
        port: u.port,
        method: c.method,
        path: c.path,
        headers: {
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
          ...(c.headers ?? {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
};

export const json = <T>(a: HttpAnswer): T => JSON.parse(a.body) as T;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * Runs `step(client, i)` from `clients` concurrent loops for `seconds` (after `warmup` seconds that
 * are not counted). `step` returns the status it got (2xx counts as success; `ok` statuses too).
 * Latency is per step, in ms.
 */
export const runLoad = async (opts: {
  name: string;
  clients: number;
  seconds: number;
  warmup?: number;
  ok?: number[];
  step: (client: number, i: number) => Promise<number>;
}): Promise<Result> => {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let counting = false;
  let running = true;
  const warmup = opts.warmup ?? 2;
  const loops = Array.from({ length: opts.clients }, async (_, client) => {
    for (let i = 0; running; i++) {
      const t0 = performance.now();
      let status = 0;
      try {
        status = await opts.step(client, i);
      } catch {
        status = 0;
      }
      if (!counting) continue;
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (!(status >= 200 && status < 300) && !(opts.ok ?? []).includes(status)) errors++;
    }
  });
  await new Promise((r) => setTimeout(r, warmup * 1000));
  counting = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, opts.seconds * 1000));
  counting = false;
  const seconds = (performance.now() - started) / 1000;
  running = false;
  await Promise.all(loops);
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    name: opts.name,
    ops: latencies.length,
    errors,
    seconds: round(seconds),
    throughput: Math.round(latencies.length / seconds),
    p50: round(pct(sorted, 50)),
    p95: round(pct(sorted, 95)),
    p99: round(pct(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
    statuses,
  };
};

export const formatResult = (r: Result): string =>
  `${r.name.padEnd(58)} ${String(r.throughput).padStart(6)}/s  p50 ${String(r.p50).padStart(6)} ms  p95 ${String(r.p95).padStart(6)} ms  p99 ${String(r.p99).padStart(6)} ms  (${r.ops} ops, ${r.errors} errors)`;
