/** Starts real `plaza` processes for end-to-end tests (several at once for concurrency tests). */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PLAZA_BIN = fileURLToPath(new URL('../../bin/plaza.mjs', import.meta.url));
export const TEST_ADMIN_TOKEN = 'plz_at_test_admin_token_0123456789abcdefghijklmnop';

export interface PlazaProcess {
  url: string;
  proc: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs `plaza <command>` and resolves once it prints its URL (for `start`) .
 * Defaults: PORT=0 (any free port), PLAZA_DEMO=0, LOG_LEVEL=warn, the test admin token. A first
 * start with the demo takes ~18 s alone and passed 60 s in CI beside the other test files, hence 120 s.
 */
export const startPlaza = (
  env: Record<string, string | undefined>,
  timeoutMs = 120_000,
): Promise<PlazaProcess> =>
  new Promise((resolve, reject) => {
    // PLAZA_NODE_ARGS: extra node flags for the API processes (e.g. `--cpu-prof` when profiling a benchmark).
    const nodeArgs = (env.PLAZA_NODE_ARGS ?? process.env.PLAZA_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const proc = spawn(process.execPath, [...nodeArgs, PLAZA_BIN, 'start'], {
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        PLAZA_DEMO: '0',
        LOG_LEVEL: 'warn',
        PLAZA_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let settled = false;
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    const handle: Omit<PlazaProcess, 'url'> = {
      proc,
      output: () => out,
      async stop(signal = 'SIGTERM') {
        if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
        return exited;
      },
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      proc.kill('SIGKILL');
      reject(new Error(`plaza did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      // The start banner ends with an empty line: resolve once it is complete.
      const m = /is running at (http:\/\/\S+)[\s\S]*?\n\n/.exec(out);
      if (m && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ ...handle, url: m[1] as string });
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`plaza exited with ${code} before starting:\n${out}`));
    });
  });

/** Runs a `plaza` CLI command to completion. */
export const runPlaza = (
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 120_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [PLAZA_BIN, ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    proc.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`plaza ${args.join(' ')} timed out:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });

/** fetch JSON from a running Plaza. */
export const http = async <T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; key?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> => {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.key) headers['x-plaza-channel-key'] = opts.key;
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
};
