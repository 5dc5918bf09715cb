/**
 * Staff sessions for the console and the POS: the HttpOnly session cookie is set by
 * `POST /admin/auth/login`; the page keeps only the CSRF token (in memory) and sends it on every
 * state-changing /admin call. A 401 anywhere leads to the login screen, and back after login.
 */

import type { paths } from '@plaza/client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useMemo } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ApiError, createApi, type PlazaClient, unwrap } from './api.ts';
import { Skeleton } from './ui.tsx';

export type StaffSession =
  paths['/admin/auth/session']['get']['responses'][200]['content']['application/json'];
export type StaffUser = StaffSession['user'];

let csrfToken: string | undefined;
let onUnauthorized: (() => void) | undefined;

/** The one API client of a staff app (cookie session + CSRF header). */
export const staffApi: PlazaClient = createApi({
  csrf: () => csrfToken,
  onUnauthorized: () => onUnauthorized?.(),
});

interface SessionValue {
  user: StaffUser | undefined;
  login: (email: string, password: string) => Promise<StaffUser>;
  logout: () => Promise<void>;
  /** Uses a one-time invitation or reset link: sets the password and logs in. */
  accept: (token: string, password: string, name?: string, email?: string) => Promise<StaffUser>;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);
const SESSION_KEY = ['staff-session'] as const;

const fetchSession = async (): Promise<StaffSession | null> => {
  try {
    const s = await unwrap(staffApi.GET('/admin/auth/session'));
    csrfToken = s.csrf_token;
    return s;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      csrfToken = undefined;
      return null;
    }
    throw e;
  }
};

export const StaffSessionProvider = ({ children }: { children: ReactNode }) => {
  const qc = useQueryClient();
  const query = useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000 });
  onUnauthorized = () => {
    csrfToken = undefined;
    qc.setQueryData(SESSION_KEY, null);
  };
  const signedIn = useCallback(
    (s: StaffSession) => {
      csrfToken = s.csrf_token;
      qc.setQueryData(SESSION_KEY, s);
      return s.user;
    },
    [qc],
  );
  const value = useMemo<SessionValue>(
    () => ({
      user: query.data?.user,
      login: async (email, password) =>
        signedIn(await unwrap(staffApi.POST('/admin/auth/login', { body: { email, password } }))),
      accept: async (token, password, name, email) =>
        signedIn(
          await unwrap(
            staffApi.POST('/admin/auth/accept', {
              body: { token, password, ...(name ? { name } : {}), ...(email ? { email } : {}) },
            }),
          ),
        ),
      logout: async () => {
        await unwrap(staffApi.POST('/admin/auth/logout'));
        csrfToken = undefined;
        // forget the user's data, but keep the session query itself: its observer must see the logout
        qc.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
        qc.setQueryData(SESSION_KEY, null);
      },
    }),
    [query.data, qc, signedIn],
  );
  if (query.isPending) return <Skeleton lines={4} />;
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
};

export const useStaffSession = (): SessionValue => {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useStaffSession outside StaffSessionProvider');
  return v;
};

/** Shows its children to a logged-in staff member; others go to `/login?next=<here>`. */
export const RequireStaff = ({ children }: { children: ReactNode }) => {
  const { user } = useStaffSession();
  const location = useLocation();
  if (!user) {
    const next = encodeURIComponent(`${location.pathname}${location.search}`);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return <>{children}</>;
};
