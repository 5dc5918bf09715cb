/**
 * Bodies of the tracking API. Any content type is read as bytes (browsers send JSON as `text/plain` to
 * avoid a preflight, mobile SDKs may gzip it), limited in size, checked to be UTF-8 and parsed here,
 * so every failure has a Segment-style answer rather than the problem document of the rest of Plaza.
 */
import { gunzipSync, inflateSync } from 'node:zlib';

/** 32 KB per message (Segment's limit). */
export const MESSAGE_LIMIT = 32 * 1024;
/** 500 KB per batch (Segment's limit). */
export const BATCH_LIMIT = 500 * 1024;
/** Messages per batch (Segment refuses the messages past 2,500). */
export const BATCH_MAX_MESSAGES = 2500;

/**
 * The raw bytes of a request body. The bytes sit in a private field, so the input guards that walk
 * parsed bodies (src/platform/http/input.ts) see no members and leave the checks to this module.
 */
export class RawBody {
  readonly #bytes: Buffer;
  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }
  get bytes(): Buffer {
    return this.#bytes;
  }
}

export type BodyFailureCode = 'INVALID_JSON' | 'MESSAGE_TOO_LARGE' | 'BATCH_TOO_LARGE';

export type Decoded =
  | { ok: true; value: unknown; size: number }
  | { ok: false; code: BodyFailureCode; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** C0 and C1 control characters (and DEL) as `\uXXXX`: text that is safe to show and to store. */
export const escapeControls = (s: string): string => {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c < 0x20 || (c >= 0x7f && c <= 0x9f) ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
  }
  return out;
};

const inflate = (bytes: Buffer, encoding: string, limit: number): Buffer | 'too_large' | 'bad' => {
  try {
    const opts = { maxOutputLength: limit + 1 };
    const out = encoding === 'gzip' ? gunzipSync(bytes, opts) : inflateSync(bytes, opts);
    return out.length > limit ? 'too_large' : out;
  } catch (e) {
    return e instanceof RangeError ? 'too_large' : 'bad';
  }
};

/**
 * The JSON value of a body: refused when empty, larger than `limit` bytes (after gunzip), not UTF-8
 * or not JSON. `tooLarge` is the code of an oversize body (a single call or a batch).
 */
export const decodeBody = (
  body: unknown,
  contentEncoding: string | undefined,
  limit: number,
  tooLarge: 'MESSAGE_TOO_LARGE' | 'BATCH_TOO_LARGE',
): Decoded => {
  let bytes = body instanceof RawBody ? body.bytes : undefined;
  if (!bytes || bytes.length === 0) return { ok: false, code: 'INVALID_JSON', message: 'The body is empty' };
  const encoding = contentEncoding?.trim().toLowerCase() ?? 'identity';
  if (encoding === 'gzip' || encoding === 'deflate') {
    const out = inflate(bytes, encoding, limit);
    if (out === 'bad')
      return { ok: false, code: 'INVALID_JSON', message: `The body is not valid ${encoding}` };
    if (out === 'too_large') return tooLargeOf(tooLarge, limit);
    bytes = out;
  } else if (encoding !== 'identity' && encoding !== '') {
    return { ok: false, code: 'INVALID_JSON', message: `Content-Encoding ${encoding} is not supported` };
  }
  if (bytes.length > limit) return tooLargeOf(tooLarge, limit);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, code: 'INVALID_JSON', message: 'The body is not valid UTF-8' };
  }
  try {
    return { ok: true, value: JSON.parse(text), size: bytes.length };
  } catch (e) {
    // V8's message quotes the body: its control characters (NUL above all, which PostgreSQL's text
    // refuses) are escaped before the message goes to the answer and the debugger
    const why = e instanceof SyntaxError ? escapeControls(e.message) : 'it cannot be parsed';
    return { ok: false, code: 'INVALID_JSON', message: `The body is not valid JSON: ${why}`.slice(0, 300) };
  }
};

const tooLargeOf = (code: 'MESSAGE_TOO_LARGE' | 'BATCH_TOO_LARGE', limit: number): Decoded => ({
  ok: false,
  code,
  message: `The body is larger than ${Math.round(limit / 1024)} KB`,
});
