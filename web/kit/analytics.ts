/**
 * Events through Segment's own analytics.js (`@segment/analytics-next`, bundled), pointed at Plaza:
 * the settings document comes from `${location.origin}/v1/projects/<write key>/settings` and events go
 * to `${location.origin}/v1/{t,p,i}`, so no request leaves Plaza's origin and the page's CSP
 * (`script-src 'self'`, `connect-src 'self'`) holds. Only Plaza's own destination (`Segment.io`) is
 * kept from the settings document: no remote plugin, destination or middleware script is loaded.
 *
 * The library is a lazy chunk loaded after the first paint. Calls made before it is ready wait in a
 * queue with their time and page, so an event keeps the instant and the address it happened at.
 * Without a write key (or when the shopper refused analytics) nothing is loaded and nothing is sent.
 */
import type { Analytics, AnalyticsBrowser, CDNSettings } from '@segment/analytics-next';

export type Properties = Record<string, unknown>;

interface PageContext {
  path: string;
  referrer: string;
  search: string;
  title: string;
  url: string;
}

interface Captured {
  timestamp: Date;
  context: { page: PageContext };
}

type Call = (a: Analytics, at: Captured) => unknown;

export interface TrackerOptions {
  /** The source's write key (`wk_…`); none: the tracker stays off. */
  writeKey: string | undefined;
  /** The device id the app already gives Plaza's API (`x-plaza-anonymous-id`): analytics uses the same. */
  anonymousId?: () => string;
  /**
   * Keep the user and anonymous id in this browser's storage (analytics.js's cookies and
   * localStorage, the default). Off for a till: its ids live in memory, so a shop login in the same
   * browser never leaks into the till's events, nor the reverse.
   */
  persist?: boolean;
  /** Milliseconds to wait after the first call before loading the library (default: the next idle time). */
  delay?: number;
}

/** The Segment.io destination aimed at this page's origin (`apiHost` has no scheme: `host/v1`). */
export const plazaApiHost = (loc: Pick<Location, 'host' | 'protocol'> = window.location) => ({
  apiHost: `${loc.host}/v1`,
  protocol: loc.protocol === 'http:' ? ('http' as const) : ('https' as const),
});

/**
 * The settings document as the library will use it: Segment.io only (aimed at Plaza), no remote
 * plugins, middleware or routing rules, no library metrics.
 */
export const plazaSettings = (doc: CDNSettings, target = plazaApiHost()): CDNSettings => {
  const segment = doc.integrations?.['Segment.io'];
  return {
    ...doc,
    integrations: { 'Segment.io': { ...segment, apiKey: segment?.apiKey ?? '', ...target } },
    remotePlugins: [],
    enabledMiddleware: {},
    middlewareSettings: { routingRules: [] },
    legacyVideoPluginsEnabled: false,
    metrics: { ...doc.metrics, sampleRate: 0 },
  };
};

export class Tracker {
  readonly #opts: TrackerOptions;
  #queue: { call: Call; at: Captured }[] = [];
  #analytics: Analytics | undefined;
  #state: 'idle' | 'loading' | 'ready' | 'failed' = 'idle';
  #allowed = true;
  /** A pending question (the shopper's consent): events wait for its answer. */
  #gate: Promise<boolean> | undefined;
  #referrer = document.referrer;
  #lastPage = '';

  constructor(opts: TrackerOptions) {
    this.#opts = opts;
  }

  /** Whether events are sent: a write key is there and the shopper has not refused analytics. */
  get active(): boolean {
    return Boolean(this.#opts.writeKey) && this.#allowed && this.#state !== 'failed';
  }

  /** Turns sending off (the shopper refused analytics: waiting events are dropped) or on again. */
  allow(on: boolean): void {
    this.#allowed = on;
    if (!on) this.#queue = [];
    else this.#flush();
  }

  /** Events wait until `answer` says whether they may be sent (the last question asked wins). */
  waitFor(answer: Promise<boolean>): void {
    this.#gate = answer;
    void answer
      .catch(() => true)
      .then((on) => {
        if (this.#gate !== answer) return;
        this.#gate = undefined;
        this.allow(on);
      });
  }

  /** A page view; called on every route change (the same address twice in a row counts once). */
  page(properties: Properties = {}): void {
    const url = here();
    if (url === this.#lastPage) return;
    this.#lastPage = url;
    this.#push((a, at) => a.page(null, null, { ...at.context.page, ...properties }, at));
    this.#referrer = url;
  }

  /**
   * `userId` names someone other than the device's user for this event only (a customer at a till);
   * `timestamp`, when the event happened earlier than this call (it waited for the tracker).
   */
  track(event: string, properties: Properties = {}, userId?: string, timestamp?: Date): void {
    this.#push((a, at) => a.track(event, properties, userId ? { ...at, userId } : at), timestamp);
  }

  /** The person logged in: `userId` is their Plaza id (a customer's `cus_…`). */
  identify(userId: string, traits: Properties = {}): void {
    this.#push((a, at) => a.identify(userId, traits, at));
  }

  /** Logged out: forget the user; the anonymous id becomes the device id the app uses now. */
  reset(): void {
    this.#push((a) => {
      a.reset();
      const id = this.#opts.anonymousId?.();
      if (id) a.setAnonymousId(id);
    });
  }

  #push(call: Call, timestamp = new Date()): void {
    if (!this.active) return;
    this.#queue.push({ call, at: { timestamp, context: { page: this.#pageContext() } } });
    this.#flush();
  }

  /** Hands waiting calls to the library once it is loaded and no question is pending. */
  #flush(): void {
    if (!this.active || this.#queue.length === 0) return;
    if (this.#state === 'idle') this.#start();
    const analytics = this.#analytics;
    if (!analytics || this.#gate) return;
    const waiting = this.#queue;
    this.#queue = [];
    // In order, without waiting for each delivery: the library's own queue keeps the order.
    for (const { call, at } of waiting) void Promise.resolve(call(analytics, at)).catch(() => undefined);
  }

  #pageContext(): PageContext {
    return {
      path: window.location.pathname,
      referrer: this.#referrer,
      search: window.location.search,
      title: document.title,
      url: here(),
    };
  }

  #start(): void {
    this.#state = 'loading';
    const go = () => void this.#load();
    if (this.#opts.delay !== undefined) setTimeout(go, this.#opts.delay);
    else if ('requestIdleCallback' in window) window.requestIdleCallback(go, { timeout: 2000 });
    else setTimeout(go, 200);
  }

  async #load(): Promise<void> {
    const writeKey = this.#opts.writeKey;
    if (!writeKey) return;
    try {
      const { AnalyticsBrowser } = await import('@segment/analytics-next');
      const target = plazaApiHost();
      const browser: AnalyticsBrowser = AnalyticsBrowser.load(
        { writeKey, cdnURL: window.location.origin },
        {
          integrations: { 'Segment.io': target },
          updateCDNSettings: (doc) => plazaSettings(doc, target),
          initialPageview: false,
          disableClientPersistence: this.#opts.persist === false,
        },
      );
      const [analytics] = await browser;
      const id = this.#opts.anonymousId?.();
      if (id && analytics.user().anonymousId() !== id) analytics.setAnonymousId(id);
      this.#analytics = analytics;
      this.#state = 'ready';
      this.#flush();
    } catch {
      // No settings document (unknown or revoked key, Plaza unreachable): the page works without analytics.
      this.#state = 'failed';
      this.#queue = [];
    }
  }
}

/** This page's address without the fragment, as analytics.js reports it. */
const here = (): string => `${window.location.origin}${window.location.pathname}${window.location.search}`;

/** Money in minor units as the decimal amount Segment's e-commerce spec expects (`1999` USD → 19.99). */
export const decimalAmount = (minor: number, currency: string): number => {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  return minor / 10 ** (digits ?? 2);
};
