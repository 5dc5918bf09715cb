import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../crypto.ts';
import { PlazaError } from '../errors.ts';

export type AdminScope = 'admin' | 'staff';

/** Who is calling /admin: an admin token (everything) or a staff token (named store locations only). */
export interface AdminPrincipal {
  /** The token's id, or the staff user's id for a console session (actors in audit trails). */
  tokenId: string;
  scope: AdminScope;
  locationIds: readonly string[];
  /** Set when a staff user logged in (session cookie): who, with which role, in which session. */
  userId?: string;
  role?: 'owner' | 'manager' | 'staff';
  sessionId?: string;
  /** The staff user's name (for receipts and audit trails). */
  name?: string;
}

/** Which channel a /store call comes through, selected by its publishable key. */
export interface ChannelPrincipal {
  channelId: string;
  keyId: string;
  type: string;
  currency: string;
  locale: string;
  /** Browser origins the channel accepts (empty or absent: every origin). */
  allowedOrigins?: readonly string[];
}

/** A logged-in shopper on /store. */
export interface CustomerPrincipal {
  customerId: string;
  sessionId: string;
}

/** How credentials are checked; implemented by the modules that own them. */
export interface AuthResolvers {
  adminToken(token: string): Promise<AdminPrincipal | null>;
  channelKey(key: string): Promise<ChannelPrincipal | null>;
  customerToken(token: string): Promise<CustomerPrincipal | null>;
  /** A staff user's session cookie: the principal and the session's CSRF token (src/modules/staff). */
  staffSession?(token: string): Promise<{ principal: AdminPrincipal; csrfToken: string } | null>;
}

declare module 'fastify' {
  interface FastifyRequest {
    admin: AdminPrincipal | null;
    channel: ChannelPrincipal | null;
    customer: CustomerPrincipal | null;
  }
  interface FastifyContextConfig {
    /** Staff tokens may call this /admin route (it checks location access itself). */
    staff?: boolean;
    /** This /admin route needs no credentials (login, session, password reset); it checks what it needs. */
    public?: boolean;
    /** This /store route needs a logged-in customer. */
    customer?: boolean;
    /**
     * Credentials may also come in the query string (`channel_key`, `access_token`), for clients
     * that cannot set headers, such as the browser's EventSource.
     */
    queryAuth?: boolean;
  }
}

export const CHANNEL_KEY_HEADER = 'x-plaza-channel-key';
export const PUBLISHABLE_KEY_PREFIX = 'pk_';
export const ADMIN_TOKEN_PREFIX = 'plz_at_';
export const CUSTOMER_TOKEN_PREFIX = 'plz_ct_';
export const SESSION_COOKIE = 'plaza_session';
export const CSRF_HEADER = 'x-plaza-csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The value of the staff session cookie, if the request carries one. */
export const sessionCookie = (req: FastifyRequest): string | undefined => {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
};

/**
 * A request with the session cookie and no bearer token: the logged-in staff user. A state-changing
 * method must carry the session's CSRF token in x-plaza-csrf (CSRF_FAILED otherwise).
 */
const bySession = async (req: FastifyRequest, resolvers: AuthResolvers): Promise<AdminPrincipal | null> => {
  const cookie = sessionCookie(req);
  if (!cookie || !resolvers.staffSession) return null;
  const s = cookie.length <= 200 ? await resolvers.staffSession(cookie) : null;
  if (!s) throw new PlazaError('UNAUTHORIZED', 'The session has expired or was ended; log in again');
  const given = req.headers[CSRF_HEADER];
  if (!SAFE_METHODS.has(req.method) && !(typeof given === 'string' && safeEqual(given, s.csrfToken))) {
    throw new PlazaError(
      'CSRF_FAILED',
      `A session request that changes something needs the ${CSRF_HEADER} header`,
    );
  }
  return s.principal;
};

/** The bearer token of the Authorization header, if any. */
export const bearerToken = (req: FastifyRequest): string | undefined => {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S{1,512})\s*$/i.exec(h);
  if (!m) throw new PlazaError('UNAUTHORIZED', 'The Authorization header must be "Bearer <token>"');
  return m[1];
};

/** An admin or staff token; publishable keys and customer tokens are refused with a message that says so. */
const byToken = async (token: string, resolvers: AuthResolvers): Promise<AdminPrincipal> => {
  const admin = await resolvers.adminToken(token);
  if (admin) return admin;
  if (token.startsWith(PUBLISHABLE_KEY_PREFIX)) {
    throw new PlazaError('UNAUTHORIZED', 'Publishable channel keys are not accepted on /admin');
  }
  if (token.startsWith(CUSTOMER_TOKEN_PREFIX)) {
    throw new PlazaError('UNAUTHORIZED', 'Customer tokens are not accepted on /admin');
  }
  throw new PlazaError('UNAUTHORIZED', 'The admin token is not valid or has been revoked');
};

/**
 * onRequest hook for /admin: a valid admin or staff token, else a staff user's session cookie (a bearer
 * token wins when both come); publishable keys and customer tokens are refused. Public routes pass.
 */
export const adminAuthHook =
  (resolvers: AuthResolvers) =>
  async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (req.routeOptions.config.public) return;
    const token = bearerToken(req);
    const admin = token ? await byToken(token, resolvers) : await bySession(req, resolvers);
    if (!admin) {
      if (req.headers[CHANNEL_KEY_HEADER]) {
        throw new PlazaError('UNAUTHORIZED', 'Publishable channel keys are not accepted on /admin');
      }
      throw new PlazaError('UNAUTHORIZED', 'An admin token is required (Authorization: Bearer …)');
    }
    req.admin = admin;
    if (admin.scope === 'staff' && !req.routeOptions.config.staff) {
      throw new PlazaError('FORBIDDEN', 'Staff tokens may not use this endpoint; it needs an admin token');
    }
  };

/** onRequest hook for /store: a publishable key selects the channel; a customer token is optional. */
export const storeAuthHook =
  (resolvers: AuthResolvers) =>
  async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const query = req.routeOptions.config.queryAuth ? (req.query as Record<string, unknown>) : {};
    const fromQuery = (name: string) =>
      typeof query[name] === 'string' ? (query[name] as string) : undefined;
    const key = req.headers[CHANNEL_KEY_HEADER] ?? fromQuery('channel_key');
    if (typeof key !== 'string' || key.length === 0) {
      throw new PlazaError('CHANNEL_KEY_REQUIRED', `The ${CHANNEL_KEY_HEADER} header is required on /store`);
    }
    const channel = key.length <= 200 ? await resolvers.channelKey(key) : null;
    if (!channel) {
      throw new PlazaError(
        'CHANNEL_KEY_REQUIRED',
        'The publishable channel key is not valid or has been revoked',
      );
    }
    req.channel = channel;
    const token = bearerToken(req) ?? fromQuery('access_token');
    if (token) {
      const customer = await resolvers.customerToken(token);
      if (!customer)
        throw new PlazaError('UNAUTHORIZED', 'The customer token is not valid, expired or revoked');
      req.customer = customer;
    }
    if (req.routeOptions.config.customer && !req.customer) {
      throw new PlazaError('UNAUTHORIZED', 'Log in first: this endpoint needs a customer token');
    }
  };

export const requireAdmin = (req: FastifyRequest): AdminPrincipal => {
  if (!req.admin) throw new PlazaError('UNAUTHORIZED');
  return req.admin;
};

export const requireChannel = (req: FastifyRequest): ChannelPrincipal => {
  if (!req.channel) throw new PlazaError('CHANNEL_KEY_REQUIRED');
  return req.channel;
};

export const requireCustomer = (req: FastifyRequest): CustomerPrincipal => {
  if (!req.customer)
    throw new PlazaError('UNAUTHORIZED', 'Log in first: this endpoint needs a customer token');
  return req.customer;
};

/**
 * Who did it, for audit trails and ledgers: `user:usr_…` for a logged-in staff member, `token:…`
 * for an admin or staff token.
 */
export const actorOf = (admin: AdminPrincipal): string =>
  admin.userId ? `user:${admin.userId}` : `token:${admin.tokenId}`;

/**
 * Owners and admin tokens only: a manager's session is refused. An admin token acts as an owner
 * (docs/staff.md), so creating or revoking one is an owner's decision.
 */
export const requireOwner = (req: FastifyRequest): AdminPrincipal => {
  const admin = requireAdmin(req);
  if (admin.scope !== 'admin' || (admin.role !== undefined && admin.role !== 'owner'))
    throw new PlazaError('FORBIDDEN', 'Only an owner or an admin token may do this');
  return admin;
};

/** True when the caller may act for `locationId` (admins everywhere, staff at their own locations). */
export const canAccessLocation = (admin: AdminPrincipal, locationId: string): boolean =>
  admin.scope === 'admin' || admin.locationIds.includes(locationId);

/** Refuses staff of other locations with FORBIDDEN. */
export const assertLocationAccess = (req: FastifyRequest, locationId: string): AdminPrincipal => {
  const admin = requireAdmin(req);
  if (!canAccessLocation(admin, locationId)) {
    throw new PlazaError('FORBIDDEN', `This staff token is not allowed to act for location ${locationId}`, {
      location_id: locationId,
    });
  }
  return admin;
};
