import { type ObjectOptions, type TObject, type TProperties, type TSchema, Type } from '@sinclair/typebox';

/** A strict object: unknown properties are refused. */
export const Obj = <T extends TProperties>(props: T, opts: ObjectOptions = {}): TObject<T> =>
  Type.Object(props, { additionalProperties: false, ...opts });

/** A bounded string. */
export const Str = (opts: { min?: number; max?: number; pattern?: string; description?: string } = {}) =>
  Type.String({
    minLength: opts.min ?? 0,
    maxLength: opts.max ?? 255,
    ...(opts.pattern ? { pattern: opts.pattern } : {}),
    ...(opts.description ? { description: opts.description } : {}),
  });

/** A short non-empty name or title. */
export const Name = (max = 200) => Str({ min: 1, max });

/** A prefixed ULID such as `chn_01J…`. */
export const Id = (prefix: string) =>
  Type.String({ pattern: `^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`, maxLength: prefix.length + 27 });

export const IdParams = (prefix: string) => Obj({ id: Id(prefix) });

/** A bounded array. */
export const List = <T extends TSchema>(item: T, opts: { min?: number; max: number }) =>
  Type.Array(item, { minItems: opts.min ?? 0, maxItems: opts.max });

/** `null` or the schema. Null comes first so that type coercion never turns a null into 0 or "". */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);

export const Timestamp = Type.String({ format: 'date-time', maxLength: 40 });

export const CurrencyCode = Type.String({
  pattern: '^[A-Z]{3}$',
  minLength: 3,
  maxLength: 3,
  description: 'ISO 4217 currency code',
});

export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });

/** Money in integer minor units (cents), never a float. */
export const MinorAmount = Type.Integer({
  minimum: -9_007_199_254_740_991,
  maximum: 9_007_199_254_740_991,
  description: 'Integer amount in minor units (e.g. cents)',
});

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  cursor: Type.Optional(Str({ max: 200, description: 'Opaque cursor from `next_cursor`' })),
};

/** A page of results with an opaque cursor for the next page (null on the last page). */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), next_cursor: Nullable(Type.String()) });

/** RFC 9457 problem details with Plaza's stable `code`. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    request_id: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ path: Type.String(), message: Type.String() }), {
        description: 'VALIDATION_FAILED: every field that is not valid, such as `body.email`',
      }),
    ),
  },
  {
    additionalProperties: true,
    $id: 'Problem',
    description:
      'RFC 9457 problem details with a stable `code` (docs/errors.md); some codes add members, such as ' +
      '`available` (INSUFFICIENT_STOCK) or `retry_after_seconds` (SERVICE_UNAVAILABLE)',
  },
);

/** Encodes a keyset cursor (sort value and id) as an opaque string. */
export const encodeCursor = (parts: readonly (string | number)[]): string =>
  Buffer.from(JSON.stringify(parts)).toString('base64url');

/** Decodes a cursor; returns undefined when it is not one of ours. */
export const decodeCursor = (cursor: string | undefined): (string | number)[] | undefined => {
  if (!cursor) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v;
  } catch {
    // fall through
  }
  return undefined;
};

/** The id in a cursor made by `toPage` (undefined when absent or not ours). */
export const cursorId = (cursor: string | undefined): string | undefined => {
  const v = decodeCursor(cursor)?.[0];
  return typeof v === 'string' ? v : undefined;
};

/**
 * Turns `limit + 1` rows fetched in id order into a page: the extra row only tells that there is
 * a next page, whose cursor is the last returned id.
 */
export const toPage = <R extends { id: string }, A>(rows: R[], limit: number, toApi: (r: R) => A) => {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { data: page.map(toApi), next_cursor: rows.length > limit && last ? encodeCursor([last.id]) : null };
};
