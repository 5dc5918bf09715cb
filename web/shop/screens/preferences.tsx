/**
 * Consent preferences, as the API models them: each purpose per contact channel, with its status
 * (email marketing stays `pending` until the shopper confirms by e-mail: double opt-in).
 */
import type { paths } from '@plaza/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../kit/api.ts';
import { QueryState } from '../../kit/states.tsx';
import { useToast } from '../../kit/toaster.tsx';
import { Alert, Button, Card } from '../../kit/ui.tsx';
import { ShopProblem } from '../problem.tsx';
import { useShop } from '../session.tsx';

type Choice =
  paths['/store/customers/me/consents']['put']['requestBody']['content']['application/json']['consents'][number];
const PURPOSES = [
  'marketing',
  'personalization',
  'analytics',
  'profiling',
] as const satisfies readonly Choice['purpose'][];
const CHANNELS = [
  'email',
  'sms',
  'push',
  'mail',
  'phone',
  'in_app',
  'ads',
  'in_store',
] as const satisfies readonly Choice['channel'][];
const isPurpose = (v: string): v is Choice['purpose'] => (PURPOSES as readonly string[]).includes(v);
const isChannel = (v: string): v is Choice['channel'] => (CHANNELS as readonly string[]).includes(v);
const FORM_VERSION = 'shop-preferences-2026-12';

type State = paths['/store/customers/me/consents']['get']['responses'][200]['content']['application/json'];
const on = (status: string): boolean => status === 'granted' || status === 'pending';
const key = (purpose: string, channel: string) => `${purpose}:${channel}`;

const ConsentForm = ({ state }: { state: State }) => {
  const { t } = useTranslation();
  const { api } = useShop();
  const qc = useQueryClient();
  const toast = useToast();
  const initial = new Map(state.consents.map((c) => [key(c.purpose, c.channel), on(c.status)]));
  const [draft, setDraft] = useState(initial);
  const purposes = [...new Set(state.consents.map((c) => c.purpose))].filter(isPurpose);
  const channels = [...new Set(state.consents.map((c) => c.channel))].filter(isChannel);
  const statusOf = new Map(state.consents.map((c) => [key(c.purpose, c.channel), c.status]));
  const save = useMutation({
    mutationFn: () => {
      const consents: Choice[] = [];
      for (const purpose of purposes)
        for (const channel of channels) {
          const k = key(purpose, channel);
          const want = draft.get(k) ?? false;
          if (want !== (initial.get(k) ?? false)) consents.push({ purpose, channel, granted: want });
        }
      return unwrap(
        api.PUT('/store/customers/me/consents', { body: { consents, form_version: FORM_VERSION } }),
      );
    },
    onSuccess: (next) => {
      qc.setQueryData(['consents'], next);
      toast(t('preferences.saved'), 'success');
    },
  });
  const changed = [...draft].some(([k, v]) => v !== (initial.get(k) ?? false));
  return (
    <form
      className="pz-stack"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      {state.processing_restricted && <Alert tone="info">{t('preferences.restricted')}</Alert>}
      <div className="pz-table-wrap">
        <table className="shop-consents">
          <caption className="visually-hidden">{t('preferences.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('preferences.purpose')}</th>
              {channels.map((c) => (
                <th key={c} scope="col">
                  {t(`preferences.channels.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {purposes.map((p) => (
              <tr key={p}>
                <th scope="row">{t(`preferences.purposes.${p}`)}</th>
                {channels.map((c) => {
                  const k = key(p, c);
                  const status = statusOf.get(k);
                  return (
                    <td key={c}>
                      <input
                        type="checkbox"
                        checked={draft.get(k) ?? false}
                        disabled={state.processing_restricted}
                        aria-label={t('preferences.toggle', {
                          purpose: t(`preferences.purposes.${p}`),
                          channel: t(`preferences.channels.${c}`),
                        })}
                        onChange={(e) => setDraft(new Map(draft).set(k, e.target.checked))}
                      />
                      {status === 'pending' && <div className="pz-muted">{t('preferences.pending')}</div>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="pz-muted">{t('preferences.doubleOptIn')}</p>
      {save.isError && <ShopProblem error={save.error} />}
      <div>
        <Button
          type="submit"
          variant="primary"
          disabled={!changed || state.processing_restricted}
          busy={save.isPending}
        >
          {t('preferences.save')}
        </Button>
      </div>
    </form>
  );
};

const Preferences = () => {
  const { t } = useTranslation();
  const { api } = useShop();
  const consents = useQuery({
    queryKey: ['consents'],
    queryFn: () => unwrap(api.GET('/store/customers/me/consents')),
  });
  return (
    <div className="pz-stack">
      <h1>{t('preferences.title')}</h1>
      <Card>
        <QueryState query={consents} lines={6}>
          {(s) => <ConsentForm key={JSON.stringify(s.consents)} state={s} />}
        </QueryState>
      </Card>
    </div>
  );
};

export default Preferences;
