/** The pickup queue of one store: choose the store, work the open queues, hand over at the counter. */
import './pickups.css';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../kit/api.ts';
import { useStaffSession } from '../../../kit/session.tsx';
import { EmptyState, Skeleton } from '../../../kit/ui.tsx';
import { Select, SubNav, useLocations, useUrlFilters } from '../inventory/common.tsx';
import { ForbiddenStore } from './forbidden.tsx';
import { HandoverBar, type Selected } from './handover.tsx';
import { fetchQueue, QUEUES, type Queue, QueueSection, queueKey } from './queue-table.tsx';

const VIEWS = ['open', ...QUEUES.filter((q) => q !== 'to_prepare' && q !== 'ready')] as const;
const isQueue = (v: string): v is Queue => (QUEUES as string[]).includes(v);

const PickupQueue = () => {
  const { t } = useTranslation();
  const { user } = useStaffSession();
  const locations = useLocations();
  const { values, set } = useUrlFilters(['location', 'view'] as const);
  const [selected, setSelected] = useState<Selected>();
  const inputRef = useRef<HTMLInputElement>(null);
  const stores = (locations.data?.data ?? []).filter((l) => l.type === 'store');
  const staffStores =
    user?.role === 'staff' ? stores.filter((l) => user.location_ids.includes(l.id)) : stores;
  const choices = staffStores.length > 0 ? staffStores : stores;
  const locationId = values.location || (choices.length === 1 ? (choices[0]?.id ?? '') : '');
  const view = values.view && (VIEWS as readonly string[]).includes(values.view) ? values.view : 'open';
  const options = choices.map((l) => ({ value: l.id, label: l.name }));
  if (locationId && !options.some((o) => o.value === locationId))
    options.push({ value: locationId, label: t('pickups.otherStore', { id: locationId }) });
  const select = (s: Selected | undefined) => {
    setSelected(s);
    inputRef.current?.focus();
  };
  // The first section's first page, shared with it through the cache: a store the user may not open
  // (FORBIDDEN) shows one message instead of a queue.
  const probe = useQuery({
    queryKey: [...queueKey(locationId, 'to_prepare'), undefined],
    queryFn: () => fetchQueue(locationId, 'to_prepare', undefined),
    enabled: locationId !== '',
  });
  const forbidden = probe.error instanceof ApiError && probe.error.code === 'FORBIDDEN';
  const sections: Queue[] = view === 'open' ? ['to_prepare', 'ready'] : isQueue(view) ? [view] : [];
  return (
    <div className="pz-stack">
      <h1>{t('pickups.title')}</h1>
      {locations.isError ? (
        <ForbiddenStore error={locations.error} onRetry={() => void locations.refetch()} />
      ) : locations.isPending ? (
        <Skeleton lines={2} />
      ) : (
        <div className="pz-row">
          <Select
            label={t('pickups.store')}
            value={locationId}
            onChange={(v) => {
              setSelected(undefined);
              set({ location: v });
            }}
            allLabel={t('pickups.chooseStore')}
            options={options}
            testId="pickup-store"
          />
        </div>
      )}
      {!locationId ? (
        !locations.isPending && <EmptyState title={t('pickups.noStore')} />
      ) : forbidden ? (
        <ForbiddenStore error={probe.error} />
      ) : (
        <>
          <HandoverBar locationId={locationId} selected={selected} onSelect={select} inputRef={inputRef} />
          <SubNav
            label={t('pickups.views.label')}
            activeIndex={VIEWS.indexOf(view as (typeof VIEWS)[number])}
            items={VIEWS.map((v) => ({
              to: `/pickups?location=${locationId}${v === 'open' ? '' : `&view=${v}`}`,
              label: t(`pickups.views.${v}`),
            }))}
          />
          {sections.map((q) => (
            <QueueSection
              key={`${locationId}-${q}`}
              locationId={locationId}
              queue={q}
              selectedOrderId={selected?.order_id}
              onHandOver={(p) =>
                select({ order_id: p.order_id, order_number: p.order_number, lines: p.lines })
              }
            />
          ))}
        </>
      )}
    </div>
  );
};

export default PickupQueue;
