/**
 * The till is bound to one store: after login the cashier picks one of the store locations they may
 * work at (a `staff` user: their own; owners and managers: any store that sells over the counter). The
 * choice is kept in localStorage and checked again against the user's stores on every start, so a
 * store chosen by someone else on this device is never used by a user who may not work there.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { unwrap } from '../kit/api.ts';
import { type StaffUser, useStaffSession } from '../kit/session.tsx';
import { QueryState } from '../kit/states.tsx';
import { Alert, Button, Card, EmptyState } from '../kit/ui.tsx';
import { api, type Channel, keys, type Location, readyPickupsQuery } from './api.ts';

const LOCATION_KEY = 'plaza.pos.location';

type TillChannel = Pick<Channel, 'id' | 'name' | 'currency' | 'locale'>;

interface StoreValue {
  location: Location;
  channel: TillChannel;
  /** Forget the store: the picker shows again. */
  change: () => void;
}

const StoreContext = createContext<StoreValue | undefined>(undefined);

export const usePosStore = (): StoreValue => {
  const v = useContext(StoreContext);
  if (!v) throw new Error('usePosStore outside StoreGate');
  return v;
};

/** The stores this user may run a till at. */
export const allowedStores = (locations: Location[], user: StaffUser | undefined): Location[] =>
  locations.filter(
    (l) =>
      l.type === 'store' &&
      l.active &&
      l.sells_in_store &&
      (user?.role !== 'staff' || user.location_ids.includes(l.id)),
  );

/** The tills the user may work (`GET /admin/pos/counters`): a POS channel and its store each. */
const fetchCounters = () => unwrap(api.GET('/admin/pos/counters'));

const StorePicker = ({ stores, onPick }: { stores: Location[]; onPick: (id: string) => void }) => {
  const { t } = useTranslation();
  return (
    <main id="main" className="pos-center">
      <Card>
        <h1>{t('store.pickTitle')}</h1>
        <p className="pz-muted">{t('store.pickHint')}</p>
        {stores.length === 0 ? (
          <EmptyState title={t('store.none')} />
        ) : (
          <ul className="pos-choices" aria-label={t('store.pickTitle')}>
            {stores.map((s) => (
              <li key={s.id}>
                <Button size="lg" className="pos-choice" onClick={() => onPick(s.id)}>
                  <span>
                    <strong>{s.name}</strong>
                    <br />
                    <span className="pz-muted">
                      {s.address.line1}, {s.address.city}
                    </span>
                  </span>
                </Button>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </main>
  );
};

/** Shows the store picker until a store (and its POS channel) is known, then its children. */
export const StoreGate = ({ children }: { children: ReactNode }) => {
  const { t } = useTranslation();
  const { user } = useStaffSession();
  const [chosen, setChosen] = useState<string | null>(() => localStorage.getItem(LOCATION_KEY));
  const qc = useQueryClient();
  const path = useLocation().pathname;
  // The pickups screen's list starts with the store list, from the store remembered on this device
  // (the API checks access; a store the user may not work answers FORBIDDEN and is not shown).
  useEffect(() => {
    if (chosen && path.endsWith('/pickups')) void qc.prefetchQuery(readyPickupsQuery(chosen));
  }, [chosen, path, qc]);
  const locations = useQuery({
    queryKey: keys.locations,
    queryFn: () => unwrap(api.GET('/admin/locations', { params: { query: { type: 'store', limit: 200 } } })),
  });
  // asked alongside the locations (not after them): one step less before the till shows
  const counters = useQuery({ queryKey: keys.counters, queryFn: fetchCounters, staleTime: 5 * 60_000 });
  // the stores this user may work that have a till (a POS channel bound to them)
  const stores = useMemo(
    () =>
      allowedStores(locations.data?.data ?? [], user).filter(
        (s) => !counters.data || counters.data.data.some((c) => c.location_id === s.id),
      ),
    [locations.data, counters.data, user],
  );
  const location = stores.find((s) => s.id === chosen);
  const till = counters.data?.data.find((c) => c.location_id === location?.id);
  const channel = useMemo<TillChannel | null>(
    () =>
      till
        ? { id: till.channel_id, name: till.channel_name, currency: till.currency, locale: till.locale }
        : null,
    [till],
  );
  const pick = useCallback((id: string) => {
    localStorage.setItem(LOCATION_KEY, id);
    setChosen(id);
  }, []);
  const change = useCallback(() => {
    localStorage.removeItem(LOCATION_KEY);
    setChosen(null);
  }, []);
  const value = useMemo<StoreValue | undefined>(
    () => (location && channel ? { location, channel, change } : undefined),
    [location, channel, change],
  );
  return (
    <QueryState query={locations} lines={4}>
      {() => {
        if (!location) return <StorePicker stores={stores} onPick={pick} />;
        if (value) return <StoreContext.Provider value={value}>{children}</StoreContext.Provider>;
        return (
          <main id="main" className="pos-center">
            <QueryState query={counters}>
              {() => (
                <Card>
                  <h1>{location.name}</h1>
                  <Alert>{t('store.noChannel')}</Alert>
                  <p>
                    <Button onClick={change}>{t('store.change')}</Button>
                  </p>
                </Card>
              )}
            </QueryState>
          </main>
        );
      }}
    </QueryState>
  );
};
