/**
 * The one error type of Plaza. Every error answered over HTTP carries a stable `code`
 * from this closed list; `docs/errors.md` lists the same codes (a test keeps them in step).
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  UNAUTHORIZED: { status: 401, title: 'Authentication is required' },
  INVALID_CREDENTIALS: { status: 401, title: 'Email or password is wrong' },
  CHANNEL_KEY_REQUIRED: { status: 401, title: 'A valid publishable channel key is required' },
  FORBIDDEN: { status: 403, title: 'Not allowed for these credentials' },
  CSRF_FAILED: { status: 403, title: 'The x-plaza-csrf header of this session is missing or wrong' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  CONFLICT: { status: 409, title: 'The request conflicts with the current state' },
  ALREADY_EXISTS: { status: 409, title: 'Already exists' },
  INVALID_STATE_TRANSITION: { status: 409, title: 'That change is not allowed in the current state' },
  IDEMPOTENCY_MISMATCH: { status: 422, title: 'Idempotency key reused with a different request' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, title: 'A request with this idempotency key is still in progress' },
  INSUFFICIENT_STOCK: { status: 409, title: 'Not enough stock' },
  CHECKOUT_IN_PROGRESS: { status: 409, title: 'A checkout of this cart is in progress' },
  CART_ALREADY_CHECKED_OUT: { status: 409, title: 'This cart was already checked out' },
  DISCOUNT_INVALID: { status: 422, title: 'The discount code cannot be used' },
  PAYMENT_DECLINED: { status: 402, title: 'The payment was declined' },
  PAYMENT_FAILED: { status: 502, title: 'The payment provider did not complete the payment' },
  INVALID_ANONYMOUS_ID: { status: 400, title: 'The anonymous id is not a usable device id' },
  IDENTITY_SUPPRESSED: { status: 409, title: 'This identity belonged to an erased customer' },
  INSUFFICIENT_POINTS: { status: 409, title: 'Not enough loyalty points' },
  PICKUP_CODE_INVALID: { status: 422, title: 'The pickup code is wrong' },
  RETURN_WINDOW_CLOSED: { status: 422, title: 'The return window of this order has closed' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type' },
  UNPROCESSABLE: { status: 422, title: 'The request cannot be processed' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  BALANCE_DECISION_REQUIRED: { status: 409, title: 'Decide what happens to the customer’s balances first' },
  EXPORT_EXPIRED: { status: 410, title: 'The export is no longer available' },
  LINK_INVALID: { status: 410, title: 'The link is not valid, has expired or was already used' },
  PROCESSING_RESTRICTED: { status: 409, title: 'The customer has restricted the processing of their data' },
  INTERNAL: { status: 500, title: 'Internal error' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  // The tracking API under /v1 (Segment-style answers, docs/events.md)
  INVALID_JSON: { status: 400, title: 'The body is not valid JSON in UTF-8' },
  MESSAGE_TOO_LARGE: { status: 400, title: 'A message is larger than 32 KB' },
  BATCH_TOO_LARGE: { status: 400, title: 'The batch is larger than 500 KB' },
  INVALID_MESSAGE: { status: 400, title: 'The message does not follow the tracking spec' },
  INVALID_WRITE_KEY: { status: 401, title: 'The write key is unknown, revoked or expired' },
  EVENTS_BACKPRESSURE: { status: 503, title: 'Too many events are waiting to be stored; retry shortly' },
  // Campaigns and journeys (docs/campaigns.md)
  TEMPLATE_INVALID: { status: 422, title: 'The template does not compile or uses an unknown variable' },
  AUDIENCE_UNAVAILABLE: { status: 409, title: 'The campaign audience (segment or list) no longer exists' },
  // Strategy advisor (docs/strategy.md)
  STRATEGY_NO_ANSWERS: { status: 409, title: 'The strategy questionnaire has not been answered yet' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export type ErrorDetails = Record<string, unknown>;

/** An error with a stable code. `details` are added as extension members of the problem document. */
export class PlazaError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, detail?: string, details: ErrorDetails = {}) {
    super(detail ?? ERROR_CODES[code].title);
    this.name = 'PlazaError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = details;
  }
}

export const isPlazaError = (e: unknown): e is PlazaError => e instanceof PlazaError;

/** Shorthand constructors for the most common errors. */
export const notFound = (what: string, id?: string): PlazaError =>
  new PlazaError('NOT_FOUND', id ? `${what} ${id} was not found` : `${what} was not found`, id ? { id } : {});

export const validation = (detail: string, errors: { path: string; message: string }[] = []): PlazaError =>
  new PlazaError('VALIDATION_FAILED', detail, errors.length ? { errors } : {});

export const forbidden = (detail: string): PlazaError => new PlazaError('FORBIDDEN', detail);

export const conflict = (detail: string, details: ErrorDetails = {}): PlazaError =>
  new PlazaError('CONFLICT', detail, details);
