/** Customer 360, traits: what identify calls said (with when and from which source) and the computed traits. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { Card, EmptyState } from '../../../kit/ui.tsx';
import { keys } from './data.ts';

/** A trait's value as text: strings as they are, everything else as JSON. */
const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

const TraitsTab = ({ id }: { id: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const query = useQuery({
    queryKey: keys.part(id, 'traits'),
    queryFn: () => unwrap(staffApi.GET('/admin/customers/{id}/traits', { params: { path: { id } } })),
  });
  return (
    <QueryState query={query} lines={6}>
      {(data) => (
        <div className="cx-two">
          <Card title={t('customers.traits.title')}>
            {data.traits.length === 0 ? (
              <EmptyState title={t('customers.traits.empty')} />
            ) : (
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a wide table scrolls; keyboard users reach it
              <section className="pz-table-wrap" tabIndex={0} aria-label={t('customers.traits.title')}>
                <table className="pz-table" data-testid="customer-traits">
                  <thead>
                    <tr>
                      <th scope="col">{t('customers.traits.key')}</th>
                      <th scope="col">{t('customers.traits.value')}</th>
                      <th scope="col">{t('customers.traits.observed')}</th>
                      <th scope="col">{t('customers.traits.source')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.traits.map((x) => (
                      <tr key={x.key}>
                        <td className="pz-mono" dir="ltr">
                          {x.key}
                        </td>
                        <td dir="auto">{show(x.value)}</td>
                        <td>{f.date(x.observed_at)}</td>
                        <td className="pz-mono" dir="ltr">
                          {x.source_id ?? ''}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            )}
          </Card>
          <Card title={t('customers.traits.computed')}>
            {data.computed.length === 0 ? (
              <EmptyState title={t('customers.traits.noComputed')} />
            ) : (
              <dl className="cx-dl" data-testid="customer-computed-traits">
                {data.computed.map((x) => (
                  <div key={x.key} style={{ display: 'contents' }}>
                    <dt dir="auto">{x.name}</dt>
                    <dd>
                      <span dir="auto">{x.value === null ? '—' : show(x.value)}</span>{' '}
                      <span className="pz-muted">{f.date(x.computed_at)}</span>
                    </dd>
                  </div>
                ))}
              </dl>
            )}
          </Card>
        </div>
      )}
    </QueryState>
  );
};

export default TraitsTab;
