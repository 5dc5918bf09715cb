/**
 * The till's events through analytics.js, on its POS channel's write key
 * (`GET /admin/event-sources/write-key?channel_id=…`, which store staff may read): a page view per
 * screen (with the store) and `Customer Identified At Counter` when a customer is added to a sale
 * (`userId` = that customer, for that event only). The sale itself is Plaza's own fact (In-Store
 * Purchase, from the server), not sent from here. The cashier is never identified: the till's
 * anonymous id is a device id of its own, kept in memory by analytics.js (no shared storage with the
 * shop on the same origin). No write key (none issued, or an old server): nothing is loaded.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useLocation } from 'react-router';
import { type Properties, Tracker } from '../kit/analytics.ts';
import { unwrap } from '../kit/api.ts';
import { api } from './api.ts';
import { usePosStore } from './store.tsx';

const DEVICE_KEY = 'plaza.pos.device_id';

const deviceId = (): string => {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    id = `till_${crypto.randomUUID().replaceAll('-', '')}`;
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
};

const trackers = new Map<string, Tracker>();
let current: { tracker: Tracker; locationId: string } | undefined;

const trackerFor = (writeKey: string): Tracker => {
  let t = trackers.get(writeKey);
  if (!t) {
    t = new Tracker({ writeKey, anonymousId: deviceId, persist: false });
    trackers.set(writeKey, t);
  }
  return t;
};

/**
 * Events of the till before its write key is known (it is asked once the till is idle): they wait
 * here, with their time and store, and go to the tracker when it comes (dropped if no key is issued).
 */
let early: { event: string; properties: Properties; userId: string | undefined; at: Date }[] = [];
const EARLY_MAX = 50;

/** Tracks an event of the till (nothing without a write key). */
export const trackAtTill = (event: string, properties: Properties = {}, userId?: string): void => {
  if (current) current.tracker.track(event, { location_id: current.locationId, ...properties }, userId);
  else if (early.length < EARLY_MAX) early.push({ event, properties, userId, at: new Date() });
};

/** In the till's frame: finds the channel's write key once the till is idle, then a page view per screen. */
export const usePosAnalytics = (): void => {
  const { location, channel } = usePosStore();
  const { pathname } = useLocation();
  // Asked after the first screen is up, so it is never a step of the till's start.
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setReady(true), 500);
    return () => clearTimeout(t);
  }, []);
  const key = useQuery({
    queryKey: ['pos', 'write-key', channel.id],
    enabled: ready,
    staleTime: 30 * 60_000,
    retry: false,
    queryFn: () =>
      unwrap(
        api.GET('/admin/event-sources/write-key', {
          params: { query: { channel_id: channel.id, kind: 'pos' } },
        }),
      ),
  });
  const tracker = useMemo(() => (key.data ? trackerFor(key.data.key) : undefined), [key.data]);
  useEffect(() => {
    current = tracker ? { tracker, locationId: location.id } : undefined;
    if (tracker) {
      for (const e of early)
        tracker.track(e.event, { location_id: location.id, ...e.properties }, e.userId, e.at);
      early = [];
    } else if (key.isError) early = [];
    return () => {
      current = undefined;
    };
  }, [tracker, location.id, key.isError]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the address is read by page() itself
  useEffect(() => {
    tracker?.page({ location_id: location.id, channel_id: channel.id });
  }, [tracker, pathname, location.id, channel.id]);
};
