/**
 * Customer 360, events: what the person did online (web, app, through analytics.js) and in store (Plaza's
 * own facts: orders, counter sales, pickups, returns) in one stream, newest first, with origin and channel.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { Pager, useCursorPager } from '../../../kit/table.tsx';
import { Badge, EmptyState } from '../../../kit/ui.tsx';
import { keys, useNames } from './data.ts';

const TYPES = ['track', 'page', 'screen', 'identify', 'group', 'alias'] as const;
const ORIGINS = ['client', 'plaza'] as const;

const EventsTab = ({ id }: { id: string }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const names = useNames();
  const pager = useCursorPager();
  const [name, setName] = useState('');
  const [type, setType] = useState('');
  const [origin, setOrigin] = useState('');
  const filters = {
    ...(name.trim() ? { name: name.trim() } : {}),
    ...(type ? { type: type as (typeof TYPES)[number] } : {}),
    ...(origin ? { origin: origin as (typeof ORIGINS)[number] } : {}),
  };
  const query = useQuery({
    queryKey: keys.part(id, 'events', { ...filters, cursor: pager.cursor }),
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/customers/{id}/events', {
          params: {
            path: { id },
            query: { limit: 25, ...filters, ...(pager.cursor ? { cursor: pager.cursor } : {}) },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const change = (set: (v: string) => void) => (v: string) => {
    set(v);
    pager.reset();
  };
  return (
    <div className="pz-stack">
      <div className="cx-filters">
        <Field
          label={t('customers.events.name')}
          value={name}
          dir="auto"
          onChange={(e) => change(setName)(e.target.value)}
        />
        <SelectField
          label={t('customers.events.type')}
          value={type}
          onChange={(e) => change(setType)(e.target.value)}
        >
          <option value="">{t('customers.events.anyType')}</option>
          {TYPES.map((x) => (
            <option key={x} value={x}>
              {x}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('customers.events.origin')}
          value={origin}
          onChange={(e) => change(setOrigin)(e.target.value)}
        >
          <option value="">{t('customers.events.anyOrigin')}</option>
          {ORIGINS.map((x) => (
            <option key={x} value={x}>
              {t(`customers.events.origins.${x}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <QueryState query={query} lines={6}>
        {(page) =>
          page.data.length === 0 ? (
            <EmptyState title={t('customers.events.empty')} />
          ) : (
            <div className="pz-stack">
              <ol className="cx-timeline" data-testid="customer-events">
                {page.data.map((e) => (
                  <li key={e.id} data-testid="customer-event" data-origin={e.origin}>
                    <div className="pz-row">
                      <Badge tone={e.origin === 'plaza' ? 'success' : 'info'}>
                        {t(`customers.events.origins.${e.origin}`)}
                      </Badge>
                      {e.channel_id && <Badge>{names.channel(e.channel_id)}</Badge>}
                      {e.location_id && <Badge>{names.location(e.location_id)}</Badge>}
                      <strong dir="auto">{e.event ?? e.type}</strong>
                      {e.event && (
                        <span className="pz-muted pz-mono" dir="ltr">
                          {e.type}
                        </span>
                      )}
                      <span className="pz-muted">{f.date(e.timestamp)}</span>
                    </div>
                    {Object.keys(e.properties).length + Object.keys(e.traits).length > 0 && (
                      <details>
                        <summary>{t('customers.events.details')}</summary>
                        <pre dir="ltr">
                          {JSON.stringify(
                            Object.keys(e.traits).length
                              ? { properties: e.properties, traits: e.traits }
                              : e.properties,
                            null,
                            2,
                          )}
                        </pre>
                      </details>
                    )}
                  </li>
                ))}
              </ol>
              <Pager pager={pager} nextCursor={page.next_cursor} />
            </div>
          )
        }
      </QueryState>
    </div>
  );
};

export default EventsTab;
