/** Pickup holds per store (GET/PATCH /admin/locations/{id}/pickup-settings): hold days and reminder. */
import type { components } from '@plaza/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../../kit/api.ts';
import { Field } from '../../../kit/form.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Button, Card, EmptyState } from '../../../kit/ui.tsx';
import { Problem } from '../customers/ui.tsx';

type Location = components['schemas']['Location'];
const isWhole = (v: string) => /^\d+$/.test(v.trim());

const StorePickup = ({ location }: { location: Location }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const key = ['pickup-settings', location.id] as const;
  const query = useQuery({
    queryKey: key,
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/locations/{id}/pickup-settings', { params: { path: { id: location.id } } }),
      ),
  });
  const [hold, setHold] = useState('');
  const [reminder, setReminder] = useState('');
  useEffect(() => {
    if (query.data) {
      setHold(String(query.data.pickup_hold_days));
      setReminder(String(query.data.pickup_reminder_hours));
    }
  }, [query.data]);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.PATCH('/admin/locations/{id}/pickup-settings', {
          params: { path: { id: location.id } },
          body: { pickup_hold_days: Number(hold), pickup_reminder_hours: Number(reminder) },
        }),
      ),
    onSuccess: (s) => {
      qc.setQueryData(key, s);
      toast(t('settings.pickup.saved', { name: location.name }), 'success');
    },
  });
  return (
    <Card title={location.name}>
      <QueryState query={query}>
        {() => (
          <form
            className="cx-filters"
            onSubmit={(e) => {
              e.preventDefault();
              if (isWhole(hold) && isWhole(reminder)) save.mutate();
            }}
            noValidate
          >
            <Field
              label={t('settings.pickup.holdDays')}
              inputMode="numeric"
              value={hold}
              onChange={(e) => setHold(e.target.value)}
              error={isWhole(hold) ? undefined : t('settings.errors.whole')}
            />
            <Field
              label={t('settings.pickup.reminderHours')}
              hint={t('settings.pickup.reminderHint')}
              inputMode="numeric"
              value={reminder}
              onChange={(e) => setReminder(e.target.value)}
              error={isWhole(reminder) ? undefined : t('settings.errors.whole')}
            />
            <div className="pz-field">
              <Button type="submit" variant="primary" busy={save.isPending}>
                {t('settings.pickup.save')}
              </Button>
            </div>
          </form>
        )}
      </QueryState>
      {save.isError && <Problem error={save.error} />}
    </Card>
  );
};

const PickupSettings = () => {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: ['locations', 'pickup'],
    queryFn: () =>
      unwrap(staffApi.GET('/admin/locations', { params: { query: { limit: 100, pickup: true } } })),
  });
  return (
    <div className="pz-stack">
      <p className="pz-muted">{t('settings.pickup.intro')}</p>
      <QueryState query={query}>
        {(l) =>
          l.data.length === 0 ? (
            <EmptyState title={t('settings.pickup.none')} />
          ) : (
            <div className="cx-two">
              {l.data.map((loc) => (
                <StorePickup key={loc.id} location={loc} />
              ))}
            </div>
          )
        }
      </QueryState>
    </div>
  );
};

export default PickupSettings;
