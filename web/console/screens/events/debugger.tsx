/**
 * The live debugger of a source: polls `GET /admin/event-sources/{id}/debugger?after=` every second
 * while the page is visible (TanStack Query pauses polling in a background tab) and shows the last
 * events as they arrive, newest first, with refusals and their reasons. Each item folds out its JSON.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { CheckField } from '../../../kit/fields.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { Alert, Badge, EmptyState, ProblemAlert, Skeleton } from '../../../kit/ui.tsx';
import { RequireAdmin } from '../customers/ui.tsx';
import { type Debugger, sourceKeys } from './data.ts';
import './events.css';

/** How many items the page keeps (newest first). */
const KEEP = 100;

type DebugEvent = Debugger['events'][number];
type DebugRefusal = Debugger['refusals'][number];
interface Feed {
  after: string | null;
  /** More arrived between two polls than one answer holds: some were not shown. */
  skipped: boolean;
  events: DebugEvent[];
  refusals: DebugRefusal[];
}

/** The excerpt as JSON when it is whole, else as the text it is (cut at the API's limit). */
const pretty = (excerpt: string): unknown => {
  try {
    return JSON.parse(excerpt) as unknown;
  } catch {
    return excerpt;
  }
};

const EventItem = ({ e }: { e: DebugEvent }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const { properties_excerpt, ...rest } = e;
  return (
    <li data-testid="debugger-event" data-message-id={e.message_id}>
      <div className="pz-row">
        <Badge tone="info">{e.type}</Badge>
        {e.event && (
          <strong dir="auto" data-testid="debugger-event-name">
            {e.event}
          </strong>
        )}
        <span className="pz-mono" dir="ltr">
          {e.user_id ?? e.anonymous_id ?? ''}
        </span>
        <span className="pz-muted">{f.date(e.received_at)}</span>
        {e.flags.map((flag) => (
          <Badge key={flag} tone="warning">
            {flag}
          </Badge>
        ))}
      </div>
      <details>
        <summary>{t('events.debugger.json')}</summary>
        <pre className="ev-json" dir="ltr">
          {JSON.stringify({ ...rest, properties: pretty(properties_excerpt) }, null, 2)}
        </pre>
      </details>
    </li>
  );
};

const RefusalItem = ({ r }: { r: DebugRefusal }) => {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <li data-refused="true" data-testid="debugger-refusal">
      <div className="pz-row">
        <Badge tone="danger">{t('events.debugger.refused')}</Badge>
        <code>{r.code}</code>
        <span dir="auto">{r.reason}</span>
        {r.message_type && <Badge>{r.message_type}</Badge>}
        <span className="pz-muted">{f.date(r.received_at)}</span>
      </div>
      {r.excerpt && (
        <details>
          <summary>{t('events.debugger.json')}</summary>
          <pre className="ev-json" dir="ltr">
            {r.excerpt}
          </pre>
        </details>
      )}
    </li>
  );
};

const SourceDebugger = () => {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const [live, setLive] = useState(true);
  const key = sourceKeys.debugger(id);
  const source = useQuery({
    queryKey: sourceKeys.one(id),
    queryFn: () => unwrap(staffApi.GET('/admin/event-sources/{id}', { params: { path: { id } } })),
  });
  const feed = useQuery({
    queryKey: key,
    queryFn: async (): Promise<Feed> => {
      const prev = qc.getQueryData<Feed>(key);
      const r = await unwrap(
        staffApi.GET('/admin/event-sources/{id}/debugger', {
          params: { path: { id }, query: { limit: 50, ...(prev?.after ? { after: prev.after } : {}) } },
        }),
      );
      return {
        after: r.cursor,
        skipped: (prev?.skipped ?? false) || (prev !== undefined && r.truncated),
        events: [...r.events, ...(prev?.events ?? [])].slice(0, KEEP),
        refusals: [...r.refusals, ...(prev?.refusals ?? [])].slice(0, KEEP),
      };
    },
    refetchInterval: live ? 1000 : false,
    staleTime: 0,
    gcTime: 0,
  });
  return (
    <div className="pz-stack">
      <nav aria-label={t('events.breadcrumb')}>
        <Link to="/sources">{t('events.title')}</Link>
        {' / '}
        <Link to={`/sources/${id}`} dir="auto">
          {source.data?.name ?? id}
        </Link>
      </nav>
      <div className="pz-row">
        <h1>{t('events.debugger.title')}</h1>
        <span className="pz-spacer" />
        <CheckField
          label={t('events.debugger.live')}
          checked={live}
          onChange={(e) => setLive(e.target.checked)}
        />
      </div>
      <p className="pz-muted">{t('events.debugger.intro')}</p>
      {feed.data?.skipped && <Alert tone="info">{t('events.debugger.skipped')}</Alert>}
      {feed.isError && <ProblemAlert error={feed.error} onRetry={() => void feed.refetch()} />}
      {feed.isPending ? (
        <Skeleton lines={4} />
      ) : (
        <div className="pz-grid ev-debugger">
          <section aria-labelledby="ev-events" className="pz-card">
            <h2 id="ev-events">{t('events.debugger.events')}</h2>
            {feed.data?.events.length ? (
              <ol className="ev-feed" data-testid="debugger-events" aria-live="polite">
                {feed.data.events.map((e) => (
                  <EventItem key={e.id} e={e} />
                ))}
              </ol>
            ) : (
              <EmptyState title={t('events.debugger.waiting')} />
            )}
          </section>
          <section aria-labelledby="ev-refusals" className="pz-card">
            <h2 id="ev-refusals">{t('events.debugger.refusals')}</h2>
            {feed.data?.refusals.length ? (
              <ol className="ev-feed" data-testid="debugger-refusals">
                {feed.data.refusals.map((r) => (
                  <RefusalItem key={r.id} r={r} />
                ))}
              </ol>
            ) : (
              <EmptyState title={t('events.debugger.noRefusals')} />
            )}
          </section>
        </div>
      )}
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <SourceDebugger />
  </RequireAdmin>
);

export default Guarded;
