/** /admin/auth: log in and out, the current session, password reset and one-time links. No token needed. */
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { safeEqual } from '../../platform/crypto.ts';
import { PlazaError } from '../../platform/errors.ts';
import type { HttpApp } from '../../platform/http/app.ts';
import { CSRF_HEADER, sessionCookie } from '../../platform/http/auth.ts';
import type { Deps } from '../../platform/module.ts';
import { bodyText, ipSubject, type RouteRateLimit } from '../../platform/rate-limit.ts';
import { AUTH_BODY_LIMIT } from '../../platform/rate-limit-config.ts';
import { unwrap } from '../../platform/result.ts';
import { accept, inspectLink, type Login, login, normalStaffEmail, requestReset } from './auth.ts';
import { userToApi } from './repo.ts';
import { AcceptBody, AuthSession, LinkInfo, LinkQuery, LoginBody, ResetRequestBody } from './schema.ts';
import { clearSessionCookie, endSession, resolveSession, setSessionCookie } from './sessions.ts';

const tags = ['staff: auth'];
const config = { public: true };
const security: [] = [];

/** A staff account's subject: the login throttle's (`login:staff:<e-mail>`), hashed the same way. */
const account =
  (field: string) =>
  (req: FastifyRequest): string | null => {
    const email = bodyText(req, field);
    return email === null ? null : `login:staff:${normalStaffEmail(email)}`;
  };

const loginLimits: readonly RouteRateLimit[] = [
  { name: 'loginPerIp', subject: ipSubject },
  { name: 'loginPerAccount', subject: account('email') },
];
const resetLimits: readonly RouteRateLimit[] = [
  { name: 'passwordResetPerIp', subject: ipSubject },
  { name: 'passwordResetPerAccount', subject: account('email') },
];

/** The public base of links: PLAZA_PUBLIC_URL, else the address this request came to. */
export const publicBase = (deps: Pick<Deps, 'config'>, req: FastifyRequest): string =>
  deps.config.publicUrl ?? `${req.protocol}://${req.host}`;

export const staffAuthRoutes = (app: HttpApp, deps: Deps): void => {
  const answer = (l: Login) => ({
    user: userToApi(l.user),
    csrf_token: l.session.csrfToken,
    expires_at: l.session.expiresAt.toISOString(),
  });

  app.post(
    '/auth/login',
    {
      bodyLimit: AUTH_BODY_LIMIT,
      config: { ...config, rateLimits: loginLimits },
      schema: {
        operationId: 'logInStaff',
        tags,
        security,
        problems: ['INVALID_CREDENTIALS', 'RATE_LIMITED'],
        summary:
          'Log a staff user in: sets the HttpOnly session cookie `plaza_session` and returns the CSRF token',
        body: LoginBody,
        response: { 200: AuthSession },
      },
    },
    async (req, reply) => {
      const l = unwrap(await login(deps, { ...req.body, ip: req.ip }));
      setSessionCookie(req, reply, l.session, deps.clock.now());
      return answer(l);
    },
  );

  app.get(
    '/auth/session',
    {
      config,
      schema: {
        operationId: 'getStaffSession',
        tags,
        security,
        summary: 'The logged-in staff user of the session cookie, with the session’s CSRF token again',
        response: { 200: AuthSession },
      },
    },
    async (req, reply) => {
      const cookie = sessionCookie(req);
      const s = cookie && cookie.length <= 200 ? await resolveSession(deps, cookie) : null;
      if (!s) throw new PlazaError('UNAUTHORIZED', 'No session: log in first');
      reply.header('cache-control', 'no-store');
      return { user: userToApi(s.user), csrf_token: s.csrfToken, expires_at: s.expiresAt.toISOString() };
    },
  );

  app.post(
    '/auth/logout',
    {
      config,
      schema: {
        operationId: 'logOutStaff',
        tags,
        security,
        problems: ['CSRF_FAILED'],
        summary: 'Log out: ends the session server-side and clears the cookie (needs x-plaza-csrf)',
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const cookie = sessionCookie(req);
      const s = cookie && cookie.length <= 200 ? await resolveSession(deps, cookie) : null;
      if (s) {
        const given = req.headers[CSRF_HEADER];
        if (!(typeof given === 'string' && safeEqual(given, s.csrfToken))) {
          throw new PlazaError('CSRF_FAILED', `Logging out needs the session's ${CSRF_HEADER} header`);
        }
        await endSession(deps.db, deps, s.sessionId);
      }
      clearSessionCookie(req, reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/password-reset',
    {
      bodyLimit: AUTH_BODY_LIMIT,
      config: { ...config, rateLimits: resetLimits },
      schema: {
        operationId: 'requestStaffPasswordReset',
        tags,
        security,
        problems: ['RATE_LIMITED'],
        summary:
          'Ask for a password reset link: always 202 (whether the account exists is not told); the link is ' +
          'written to the server log for the operator until e-mail sending exists',
        body: ResetRequestBody,
        response: {
          202: Type.Object(
            { status: Type.Literal('accepted') },
            { description: 'The same answer whether or not the account exists' },
          ),
        },
      },
    },
    async (req, reply) => {
      await requestReset(deps, req.body.email, publicBase(deps, req));
      return reply.code(202).send({ status: 'accepted' as const });
    },
  );

  app.post(
    '/auth/link',
    {
      bodyLimit: AUTH_BODY_LIMIT,
      config,
      schema: {
        operationId: 'inspectStaffLink',
        tags,
        security,
        problems: ['LINK_INVALID'],
        summary:
          'What a one-time link is for (invitation, reset, first owner) and whom it names, without using it: ' +
          'the accept page asks for an e-mail only for the first owner',
        body: LinkQuery,
        response: { 200: LinkInfo },
      },
    },
    async (req) => unwrap(await inspectLink(deps, req.body.token)),
  );

  app.post(
    '/auth/accept',
    {
      bodyLimit: AUTH_BODY_LIMIT,
      config,
      schema: {
        operationId: 'acceptStaffLink',
        tags,
        security,
        problems: ['LINK_INVALID'],
        summary:
          'Use an invitation, password reset or first-owner link: sets the password, activates the account and ' +
          'logs in (as /admin/auth/login); the link is dead afterwards',
        body: AcceptBody,
        response: { 200: AuthSession },
      },
    },
    async (req, reply) => {
      const l = unwrap(await accept(deps, req.body));
      setSessionCookie(req, reply, l.session, deps.clock.now());
      return answer(l);
    },
  );
};
