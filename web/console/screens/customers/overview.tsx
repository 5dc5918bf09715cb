/** Customer 360, overview: the summary across channels (orders, money, stores, loyalty) and the profile. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Badge, Card, EmptyState } from '../../../kit/ui.tsx';
import { type Customer, keys, type Summary, useCustomer, useNames } from './data.ts';
import { DefList } from './ui.tsx';

type ChannelRow = Summary['channels'][number];

const Stat = ({ label, value, testId }: { label: string; value: string; testId?: string }) => (
  <Card>
    <div className="pz-muted">{label}</div>
    <div className="cx-stat" data-testid={testId}>
      {value}
    </div>
  </Card>
);

const Flags = ({ verified, primary }: { verified: boolean; primary: boolean }) => {
  const { t } = useTranslation();
  return (
    <>
      {primary && <Badge tone="info">{t('customers.identities.primary')}</Badge>}{' '}
      {verified && <Badge tone="success">{t('customers.identities.verified')}</Badge>}
    </>
  );
};

const Profile = ({ c }: { c: Customer }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const names = useNames();
  return (
    <Card title={t('customers.overview.profile')}>
      <DefList
        items={[
          [
            t('customers.fields.emails'),
            c.emails.length ? (
              <ul key="emails" className="cx-list">
                {c.emails.map((e) => (
                  <li key={e.email}>
                    {e.email} <Flags verified={e.verified} primary={e.primary} />
                  </li>
                ))}
              </ul>
            ) : (
              '—'
            ),
          ],
          [
            t('customers.fields.phones'),
            c.phones.length ? (
              <ul key="phones" className="cx-list">
                {c.phones.map((p) => (
                  <li key={p.phone}>
                    <span dir="ltr">{p.phone}</span> <Flags verified={p.verified} primary={p.primary} />
                  </li>
                ))}
              </ul>
            ) : (
              '—'
            ),
          ],
          [t('customers.fields.birthday'), c.birthday ? f.day(c.birthday) : '—'],
          [t('customers.fields.language'), c.language ?? '—'],
          [t('customers.fields.preferredStore'), names.location(c.preferred_location_id) || '—'],
          [t('customers.fields.source'), c.source],
          [t('customers.fields.createdChannel'), names.channel(c.created_channel_id) || '—'],
          [t('customers.fields.created'), f.date(c.created_at)],
          [t('customers.fields.account'), c.has_account ? t('customers.yes') : t('customers.no')],
        ]}
      />
      <h3 className="cx-subhead">{t('customers.overview.addresses')}</h3>
      {c.addresses.length === 0 ? (
        <p className="pz-muted">{t('customers.overview.noAddresses')}</p>
      ) : (
        <ul className="cx-list">
          {c.addresses.map((a) => (
            <li key={a.id}>
              {[a.name, a.line1, a.line2, a.postal_code, a.city, a.region, a.country]
                .filter(Boolean)
                .join(', ')}{' '}
              {a.is_default_shipping && <Badge tone="info">{t('customers.overview.defaultShipping')}</Badge>}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
};

const Overview = ({ id }: { id: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const names = useNames();
  const customer = useCustomer(id);
  const summary = useQuery({
    queryKey: keys.part(id, 'summary'),
    queryFn: () => unwrap(staffApi.GET('/admin/customers/{id}/summary', { params: { path: { id } } })),
  });
  const columns: ColumnDef<ChannelRow, unknown>[] = [
    {
      id: 'channel',
      header: t('customers.fields.channel'),
      cell: ({ row }) => names.channel(row.original.channel_id),
    },
    {
      id: 'first',
      header: t('customers.fields.firstSeen'),
      cell: ({ row }) => f.date(row.original.first_seen_at),
    },
    {
      id: 'last',
      header: t('customers.fields.lastSeen'),
      cell: ({ row }) => f.date(row.original.last_seen_at),
    },
    { id: 'orders', header: t('customers.fields.orders'), cell: ({ row }) => f.number(row.original.orders) },
  ];
  return (
    <div className="pz-stack">
      <QueryState query={summary} lines={4}>
        {(s) => (
          <div className="pz-stack">
            <div className="pz-grid">
              <Stat
                label={t('customers.overview.orders')}
                value={f.number(s.orders.count)}
                testId="summary-orders"
              />
              <Stat label={t('customers.overview.cancelled')} value={f.number(s.orders.cancelled)} />
              <Stat
                label={t('customers.overview.points')}
                value={s.loyalty.enrolled ? f.number(s.loyalty.balance) : t('customers.loyalty.notEnrolled')}
              />
              <Stat
                label={t('customers.overview.preferredStore')}
                value={
                  s.preferred_store
                    ? `${names.location(s.preferred_store.location_id)} (${t(`customers.overview.storeSource.${s.preferred_store.source}`)})`
                    : '—'
                }
              />
            </div>
            {s.processing_restricted && <p className="pz-muted">{t('customers.overview.restrictedNote')}</p>}
            <Card title={t('customers.overview.money')}>
              {s.money.length === 0 ? (
                <EmptyState title={t('customers.overview.noOrders')} />
              ) : (
                <div className="pz-grid">
                  {s.money.map((m) => (
                    <DefList
                      key={m.currency}
                      items={[
                        [t('customers.fields.currency'), m.currency],
                        [t('customers.overview.revenue'), f.money(m.revenue, m.currency)],
                        [t('customers.overview.aov'), f.money(m.average_order_value, m.currency)],
                        [
                          t('customers.overview.ltv'),
                          m.lifetime_value === null
                            ? t('customers.overview.ltvHidden')
                            : f.money(m.lifetime_value, m.currency),
                        ],
                        [t('customers.overview.refunded'), f.money(m.refunded, m.currency)],
                      ]}
                    />
                  ))}
                </div>
              )}
            </Card>
            <Card title={t('customers.overview.channels')}>
              <DataTable
                caption={t('customers.overview.channels')}
                columns={columns}
                data={s.channels}
                empty={t('customers.overview.noChannels')}
                rowId={(r) => r.channel_id}
              />
              <p className="pz-muted">
                {t('customers.fields.firstSeen')}: {s.first_seen_at ? f.date(s.first_seen_at) : '—'} ·{' '}
                {t('customers.fields.lastSeen')}: {s.last_seen_at ? f.date(s.last_seen_at) : '—'}
              </p>
            </Card>
          </div>
        )}
      </QueryState>
      <QueryState query={customer}>{(c) => <Profile c={c} />}</QueryState>
    </div>
  );
};

export default Overview;
