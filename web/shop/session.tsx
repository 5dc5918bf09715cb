/**
 * The shopper's session: the typed client with the channel's publishable key, the customer token
 * (localStorage, sent as a Bearer token), this browser's anonymous id, and the guest cart kept by id.
 */
import type { PlazaClient } from '@plaza/client';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { anonymousId, createApi, metaContent } from '../kit/api.ts';

const TOKEN_KEY = 'plaza.shop.token';
const GUEST_CART_KEY = 'plaza.shop.cart';
const ORDER_TOKENS_KEY = 'plaza.shop.order_tokens';

/** An anonymous cart: its id and its secret (`cart_token`, shown once by POST /store/carts). */
export interface GuestCart {
  id: string;
  token: string;
}

const readJson = (key: string): unknown => {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
};

const isGuestCart = (v: unknown): v is GuestCart =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { id?: unknown }).id === 'string' &&
  typeof (v as { token?: unknown }).token === 'string';

export const readGuestCart = (): GuestCart | null => {
  const v = readJson(GUEST_CART_KEY);
  return isGuestCart(v) ? v : null;
};
export const writeGuestCart = (cart: GuestCart | null): void => {
  if (cart) localStorage.setItem(GUEST_CART_KEY, JSON.stringify(cart));
  else localStorage.removeItem(GUEST_CART_KEY);
};

/** Guest orders open with their `order_token`; kept per order id on this device. */
export const orderToken = (orderId: string): string | undefined => {
  const v = readJson(ORDER_TOKENS_KEY);
  if (typeof v !== 'object' || v === null) return undefined;
  const t = (v as Record<string, unknown>)[orderId];
  return typeof t === 'string' ? t : undefined;
};
export const rememberOrderToken = (orderId: string, token: string): void => {
  const v = readJson(ORDER_TOKENS_KEY);
  const all = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  localStorage.setItem(ORDER_TOKENS_KEY, JSON.stringify({ ...all, [orderId]: token }));
};

export interface ShopSession {
  api: PlazaClient;
  channelKey: string | undefined;
  token: string | undefined;
  loggedIn: boolean;
  /** Keeps the customer token (after a login) or forgets it (logout, or a 401). */
  setToken: (token: string | undefined) => void;
}

const SessionContext = createContext<ShopSession | null>(null);

export const ShopSessionProvider = ({ children }: { children: ReactNode }) => {
  const queryClient = useQueryClient();
  const [token, setTokenState] = useState<string | undefined>(
    () => localStorage.getItem(TOKEN_KEY) ?? undefined,
  );
  const channelKey = metaContent('plaza-channel-key');
  // A login or logout in another tab applies here too.
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key !== TOKEN_KEY) return;
      setTokenState(e.newValue ?? undefined);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'catalog' });
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [queryClient]);
  const setToken = useCallback(
    (next: string | undefined) => {
      if (next) localStorage.setItem(TOKEN_KEY, next);
      else localStorage.removeItem(TOKEN_KEY);
      setTokenState(next);
      // Everything read with the old identity is stale now.
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'catalog' });
    },
    [queryClient],
  );
  const api = useMemo(
    () =>
      createApi({
        ...(channelKey ? { channelKey } : {}),
        ...(token ? { token } : {}),
        anonymousId: anonymousId(),
        // A refused customer token (expired, revoked): forget it; screens that need a login redirect.
        onUnauthorized: () => {
          if (localStorage.getItem(TOKEN_KEY)) setToken(undefined);
        },
      }),
    [channelKey, token, setToken],
  );
  const value = useMemo(
    () => ({ api, channelKey, token, loggedIn: !!token, setToken }),
    [api, channelKey, token, setToken],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
};

export const useShop = (): ShopSession => {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useShop outside ShopSessionProvider');
  return s;
};
