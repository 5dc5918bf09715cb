/**
 * A CPU profile of this process around one call (node:inspector), summed by function: where a
 * report's time outside its queries goes (analytics-reports.ts).
 */
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotFunction {
  name: string;
  where: string;
  ms: number;
}

/** Runs `fn` under the sampling profiler; returns its result and the functions by self time (ms). */
export const profiled = async <T>(fn: () => Promise<T>): Promise<{ value: T; hot: HotFunction[] }> => {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 1000 });
    await session.post('Profiler.start');
    let value: T;
    try {
      value = await fn();
    } catch (e) {
      await session.post('Profiler.stop');
      throw e;
    }
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    return { value, hot: summarize(profile) };
  } finally {
    session.disconnect();
  }
};

const summarize = (p: Profile): HotFunction[] => {
  const byNode = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, HotFunction>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  samples.forEach((id, i) => {
    const n = byNode.get(id);
    if (!n) return;
    const f = n.callFrame;
    const file = f.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/');
    const key = `${f.functionName}@${file}:${f.lineNumber + 1}`;
    const h = self.get(key) ?? {
      name: f.functionName || '(anonymous)',
      where: `${file}:${f.lineNumber + 1}`,
      ms: 0,
    };
    h.ms += (deltas[i] ?? 0) / 1000;
    self.set(key, h);
  });
  return [...self.values()].sort((a, b) => b.ms - a.ms);
};
