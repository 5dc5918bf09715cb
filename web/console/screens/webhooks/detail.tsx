/** One webhook endpoint: settings, secret rotation, deliveries and dead letters. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { RequireAdmin } from '../customers/ui.tsx';
import { webhookKeys } from './data.ts';
import { Deliveries } from './deliveries.tsx';
import { EndpointForm, RotateSecret } from './endpoint-form.tsx';
import { EnabledBadge } from './list.tsx';

const WebhookDetail = () => {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: webhookKeys.one(id),
    queryFn: () => unwrap(staffApi.GET('/admin/webhooks/{id}', { params: { path: { id } } })),
  });
  return (
    <div className="pz-stack">
      <nav aria-label={t('customers.breadcrumb')}>
        <Link to="/webhooks">{t('webhooks.title')}</Link>
      </nav>
      <QueryState query={query} lines={8}>
        {(e) => (
          <div className="pz-stack">
            <div className="pz-row">
              <h1 dir="auto">{e.description || e.url}</h1>
              <EnabledBadge enabled={e.enabled} />
            </div>
            <p className="pz-muted pz-mono" dir="ltr">
              {e.id} · {e.url}
            </p>
            <div className="cx-two">
              <EndpointForm endpoint={e} />
              <RotateSecret endpoint={e} />
            </div>
            <Deliveries endpointId={e.id} />
          </div>
        )}
      </QueryState>
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <WebhookDetail />
  </RequireAdmin>
);

export default Guarded;
