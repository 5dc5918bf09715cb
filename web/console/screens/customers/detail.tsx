/** The customer 360: one person across channels, in tabs (the open tab is kept in the URL). */
import { Tabs } from 'radix-ui';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorBoundary, QueryState } from '../../../kit/states.tsx';
import { Alert, Badge, Skeleton } from '../../../kit/ui.tsx';
import { customerName, useCustomer, useIsAdmin } from './data.ts';
import { StatusBadge } from './ui.tsx';

const Overview = lazy(() => import('./overview.tsx'));
const TimelineTab = lazy(() => import('./timeline.tsx'));
const EventsTab = lazy(() => import('./events-tab.tsx'));
const TraitsTab = lazy(() => import('./traits-tab.tsx'));
const IdentitiesTab = lazy(() => import('./identities.tsx'));
const ConsentsTab = lazy(() => import('./consents.tsx'));
const MessagesTab = lazy(() => import('./messages-tab.tsx'));
const LoyaltyTab = lazy(() => import('./loyalty.tsx'));
const CreditTab = lazy(() => import('./credit.tsx'));
const GuestTab = lazy(() => import('./guest.tsx'));
const MergesTab = lazy(() => import('./merges-tab.tsx'));
const RequestsTab = lazy(() => import('./requests-tab.tsx'));

const TABS = [
  'overview',
  'timeline',
  'events',
  'traits',
  'identities',
  'consents',
  'messages',
  'loyalty',
  'credit',
  'guest',
  'merges',
  'requests',
] as const;
type Tab = (typeof TABS)[number];
/** Tabs that need an owner or manager (staff users get FORBIDDEN from these endpoints). */
const ADMIN_TABS: readonly Tab[] = ['messages', 'guest', 'merges', 'requests'];

const CustomerDetail = () => {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const admin = useIsAdmin();
  const [params, setParams] = useSearchParams();
  const tabs = TABS.filter((x) => admin || !ADMIN_TABS.includes(x));
  const asked = params.get('tab');
  const tab: Tab = tabs.find((x) => x === asked) ?? 'overview';
  const query = useCustomer(id);

  const panel = (x: Tab) => {
    switch (x) {
      case 'overview':
        return <Overview id={id} />;
      case 'timeline':
        return <TimelineTab id={id} />;
      case 'events':
        return <EventsTab id={id} />;
      case 'traits':
        return <TraitsTab id={id} />;
      case 'identities':
        return <IdentitiesTab id={id} />;
      case 'consents':
        return <ConsentsTab id={id} />;
      case 'messages':
        return <MessagesTab id={id} />;
      case 'loyalty':
        return <LoyaltyTab id={id} />;
      case 'credit':
        return <CreditTab id={id} />;
      case 'guest':
        return <GuestTab id={id} />;
      case 'merges':
        return <MergesTab id={id} />;
      case 'requests':
        return <RequestsTab id={id} />;
    }
  };

  return (
    <div className="pz-stack">
      <nav aria-label={t('customers.breadcrumb')}>
        <Link to="/customers">{t('customers.title')}</Link>
      </nav>
      <QueryState query={query} lines={3}>
        {(c) => (
          <div className="pz-stack">
            <div className="pz-row">
              <h1 data-testid="customer-name" dir="auto">
                {customerName(c)}
              </h1>
              <StatusBadge status={c.status} />
              {!c.has_account && <Badge>{t('customers.guest')}</Badge>}
              {c.processing_restricted && <Badge tone="warning">{t('customers.restricted')}</Badge>}
              <span className="pz-spacer" />
              {admin && c.status === 'active' && (
                <Link className="pz-btn" to={`/customers/merge?survivor=${encodeURIComponent(c.id)}`}>
                  {t('customers.merge.open')}
                </Link>
              )}
            </div>
            <p className="pz-muted pz-mono" dir="ltr">
              {c.id}
            </p>
            {c.status === 'merged' && c.merged_into && (
              <Alert tone="info">
                {t('customers.mergedInto')} <Link to={`/customers/${c.merged_into}`}>{c.merged_into}</Link>
              </Alert>
            )}
            {c.status === 'erased' && <Alert tone="info">{t('customers.erasedNotice')}</Alert>}
          </div>
        )}
      </QueryState>
      <Tabs.Root
        value={tab}
        onValueChange={(v) => {
          const next = new URLSearchParams(params);
          next.set('tab', v);
          setParams(next, { replace: true });
        }}
      >
        <Tabs.List className="pz-tabs-list" aria-label={t('customers.tabs.label')}>
          {tabs.map((x) => (
            <Tabs.Trigger key={x} value={x} className="pz-tab" data-testid={`tab-${x}`}>
              {t(`customers.tabs.${x}`)}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {tabs.map((x) => (
          <Tabs.Content key={x} value={x}>
            {x === tab && (
              <ErrorBoundary>
                <Suspense fallback={<Skeleton lines={5} />}>{panel(x)}</Suspense>
              </ErrorBoundary>
            )}
          </Tabs.Content>
        ))}
      </Tabs.Root>
    </div>
  );
};

export default CustomerDetail;
