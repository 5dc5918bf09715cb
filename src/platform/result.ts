/**
 * Expected business outcomes are values, not exceptions: a service returns `Ok` or `Fail`,
 * the route maps a failure to a problem document.
 */
import { type ErrorCode, type ErrorDetails, PlazaError } from './errors.ts';

export type Ok<T> = { ok: true; value: T };
export type Fail<C extends ErrorCode = ErrorCode> = {
  ok: false;
  code: C;
  detail: string;
  details: ErrorDetails;
};
export type Result<T, C extends ErrorCode = ErrorCode> = Ok<T> | Fail<C>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const fail = <C extends ErrorCode>(code: C, detail: string, details: ErrorDetails = {}): Fail<C> => ({
  ok: false,
  code,
  detail,
  details,
});

/** Returns the value or throws the failure as a PlazaError (for routes). */
export const unwrap = <T>(r: Result<T>): T => {
  if (r.ok) return r.value;
  throw new PlazaError(r.code, r.detail, r.details);
};
