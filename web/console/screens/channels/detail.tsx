/** One channel: its settings, publishable keys and fulfilment locations. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { Badge } from '../../../kit/ui.tsx';
import { RequireAdmin } from '../customers/ui.tsx';
import { channelKeys } from './data.ts';
import { Keys } from './keys.tsx';
import { Locations } from './locations.tsx';
import { SettingsForm } from './settings-form.tsx';

const ChannelDetail = () => {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: channelKeys.one(id),
    queryFn: () => unwrap(staffApi.GET('/admin/channels/{id}', { params: { path: { id } } })),
  });
  return (
    <div className="pz-stack">
      <nav aria-label={t('customers.breadcrumb')}>
        <Link to="/channels">{t('channels.title')}</Link>
      </nav>
      <QueryState query={query} lines={8}>
        {(c) => (
          <div className="pz-stack">
            <div className="pz-row">
              <h1>{c.name}</h1>
              <Badge tone="info">{t(`channels.types.${c.type}`)}</Badge>
            </div>
            <p className="pz-muted pz-mono" dir="ltr">
              {c.id}
            </p>
            <SettingsForm channel={c} />
            <Keys channelId={c.id} />
            <Locations channelId={c.id} />
          </div>
        )}
      </QueryState>
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <ChannelDetail />
  </RequireAdmin>
);

export default Guarded;
