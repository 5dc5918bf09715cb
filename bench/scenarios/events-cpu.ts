/**
 * CPU time per process group from /proc (Linux): the API processes, this process (the load
 * generator), the PostgreSQL backends of one database and PostgreSQL's background writers. Used to
 * say where a benchmark's CPU goes (BENCHMARKS.md), like the cart analysis there.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

const ticks = (pid: number | string): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime
  } catch {
    return 0;
  }
};

const cmdline = (pid: string): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
};

export interface CpuSample {
  api: number;
  worker: number;
  loadgen: number;
  pgBackends: number;
  pgBackground: number;
}

/** CPU ms used so far by each group. Backends that exited meanwhile are missed (pools keep theirs open). */
export const sampleCpu = (apiPids: number[], database: string | undefined, workerPid?: number): CpuSample => {
  let pgBackends = 0;
  let pgBackground = 0;
  if (database) {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const cmd = cmdline(pid);
      if (!cmd.startsWith('postgres:')) continue;
      if (cmd.includes(` ${database} `)) pgBackends += ticks(pid);
      else if (/writer|checkpointer|walwriter|autovacuum/.test(cmd)) pgBackground += ticks(pid);
    }
  }
  return {
    api: apiPids.reduce((s, p) => s + ticks(p), 0) * TICK_MS,
    worker: workerPid ? ticks(workerPid) * TICK_MS : 0,
    loadgen: ticks(process.pid) * TICK_MS,
    pgBackends: pgBackends * TICK_MS,
    pgBackground: pgBackground * TICK_MS,
  };
};

/** "CPU per 1,000 events: API x ms, PostgreSQL y ms …" between two samples. */
export const cpuPer = (a: CpuSample, b: CpuSample, units: number, per = 1000): string => {
  const f = (k: keyof CpuSample) => (((b[k] - a[k]) / units) * per).toFixed(1);
  const total = (Object.keys(a) as (keyof CpuSample)[]).reduce((s, k) => s + (b[k] - a[k]), 0);
  return `CPU per ${per.toLocaleString('en-US')} events: API ${f('api')} ms, worker process ${f('worker')} ms, PostgreSQL backends ${f('pgBackends')} ms, PostgreSQL background ${f('pgBackground')} ms, load generator ${f('loadgen')} ms (total ${((total / units) * per).toFixed(1)} ms)`;
};
