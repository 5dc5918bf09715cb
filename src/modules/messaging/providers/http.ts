/**
 * What the HTTP providers share: one call with a deadline that never hangs and never throws, and the
 * reading of an HTTP status as a retryable or permanent failure.
 */
import type { ProviderResult } from '../types.ts';

export interface HttpAnswer {
  status: number;
  text: string;
  /** The body as JSON when it is JSON, else undefined. */
  json: unknown;
  /** The Location header (Web Push answers with the message's URL). */
  location?: string;
}

export type HttpOutcome = { ok: true; answer: HttpAnswer } | { ok: false; error: string };

/** Answers longer than this are cut (a provider's answer is a small JSON document). */
const MAX_ANSWER = 64 * 1024;

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * One HTTP request under a deadline covering the connection, the answer's headers and its body.
 * Resolves with the answer (whatever its status) or with a network error; never rejects.
 */
export const httpCall = async (
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: string | Uint8Array },
  timeoutMs: number,
): Promise<HttpOutcome> => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(url, {
      method: init.method ?? 'POST',
      headers: init.headers,
      body: init.body,
      signal: controller.signal,
      redirect: 'manual',
    });
    const text = (await res.text()).slice(0, MAX_ANSWER);
    const location = res.headers.get('location') ?? undefined;
    return {
      ok: true,
      answer: { status: res.status, text, json: parseJson(text), ...(location ? { location } : {}) },
    };
  } catch (err) {
    if (controller.signal.aborted) return { ok: false, error: `no answer within ${timeoutMs} ms` };
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, error: `request failed: ${cause?.code ?? cause?.message ?? (err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
};

/**
 * A status that retrying cannot fix: 4xx except 408 (timeout), 409 (conflict), 425 and 429 (slow down).
 * 401/403 are retryable too: they mean our credentials are wrong, not the recipient, and a fixed
 * configuration lets the next attempt through.
 */
export const isPermanentStatus = (status: number): boolean =>
  status >= 400 && status < 500 && ![401, 403, 408, 409, 425, 429].includes(status);

/** A failure result; `error` is cut to a length fit for `message_sends.last_error`. */
export const failure = (
  provider: string,
  error: string,
  permanent: boolean,
  bounce = false,
): ProviderResult => ({
  ok: false,
  provider,
  permanent,
  ...(bounce ? { bounce: true } : {}),
  error: error.slice(0, 500),
});

/** A short excerpt of an answer for an error message (no newlines). */
export const excerpt = (text: string, max = 200): string => text.replace(/\s+/g, ' ').trim().slice(0, max);

/** `base` without its trailing slashes. */
export const trimBase = (base: string): string => base.replace(/\/+$/, '');

/** Resolves within `ms` with the promise's value, or with `onTimeout()` (the promise keeps running). */
export const withDeadline = <T>(p: Promise<T>, ms: number, onTimeout: () => T): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
};
