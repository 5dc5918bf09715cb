/**
 * Merge two customers: pick the profile that stays and the duplicate, see exactly what would move
 * (the API's preview, nothing changes), then merge with a reason. The chosen ids live in the URL.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Alert, Button, Card } from '../../../kit/ui.tsx';
import { customerName, keys, type MergePreview, useCustomer } from './data.ts';
import { ConfirmAction, DefList, Problem, RequireAdmin, StatusBadge, TextAreaField } from './ui.tsx';

const Picker = ({
  title,
  value,
  onChange,
  testId,
}: {
  title: string;
  value: string;
  onChange: (id: string) => void;
  testId: string;
}) => {
  const { t } = useTranslation();
  const f = useFormat();
  const [draft, setDraft] = useState('');
  const chosen = useCustomer(value);
  const find = useMutation({
    mutationFn: (identity: string) =>
      unwrap(staffApi.GET('/admin/customers', { params: { query: { identity, limit: 1 } } })),
    onSuccess: (r) => {
      const c = r.data[0];
      if (c) {
        onChange(c.id);
        setDraft('');
      }
    },
  });
  const onFind = (e: FormEvent) => {
    e.preventDefault();
    if (draft.trim()) find.mutate(draft.trim());
  };
  return (
    <Card title={title}>
      <form className="cx-filters" onSubmit={onFind}>
        <div className="cx-grow">
          <Field
            label={t('customers.merge.findLabel')}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder={t('customers.search.placeholder')}
            data-testid={`${testId}-input`}
          />
        </div>
        <div className="pz-field">
          <Button type="submit" busy={find.isPending} data-testid={`${testId}-find`}>
            {t('customers.merge.find')}
          </Button>
        </div>
      </form>
      {find.isError && <Problem error={find.error} />}
      {find.isSuccess && find.data.data.length === 0 && (
        <Alert tone="info">{t('customers.search.noMatch', { q: find.variables })}</Alert>
      )}
      {value ? (
        <QueryState query={chosen}>
          {(c) => (
            <div className="pz-stack" data-testid={`${testId}-chosen`}>
              <div className="pz-row">
                <strong dir="auto">{customerName(c)}</strong>
                <StatusBadge status={c.status} />
              </div>
              <DefList
                items={[
                  [
                    t('customers.fields.id'),
                    <Link key="id" to={`/customers/${c.id}`} className="pz-mono">
                      {c.id}
                    </Link>,
                  ],
                  [t('customers.fields.email'), c.email ?? '—'],
                  [
                    t('customers.fields.phone'),
                    <span key="p" dir="ltr">
                      {c.phone ?? '—'}
                    </span>,
                  ],
                  [t('customers.fields.created'), f.date(c.created_at)],
                ]}
              />
            </div>
          )}
        </QueryState>
      ) : (
        <p className="pz-muted">{t('customers.merge.noneChosen')}</p>
      )}
    </Card>
  );
};

/** What the merge would move, as the API's preview says it. */
export const PreviewView = ({ p }: { p: MergePreview }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const filled = Object.entries(p.profile_filled);
  return (
    <Card title={t('customers.merge.previewTitle')}>
      <div data-testid="merge-preview" className="pz-stack">
        <DefList
          items={[
            [
              t('customers.merge.identities'),
              p.identities.length === 0 ? (
                '—'
              ) : (
                <ul key="ids" className="cx-list">
                  {p.identities.map((i) => (
                    <li key={i.id}>
                      {t(`customers.identityKinds.${i.kind}`, { defaultValue: i.kind })}:{' '}
                      <span dir="ltr" className="pz-mono">
                        {i.value}
                      </span>{' '}
                      {i.primary_after
                        ? t('customers.merge.staysPrimary')
                        : t('customers.merge.becomesSecondary')}
                    </li>
                  ))}
                </ul>
              ),
            ],
            [t('customers.merge.orders'), f.number(p.orders.length)],
            [
              t('customers.merge.carts'),
              p.carts.length === 0
                ? '—'
                : p.carts
                    .map((c) => (c.parked_into ? t('customers.merge.cartParked', { id: c.id }) : c.id))
                    .join(', '),
            ],
            [
              t('customers.merge.points'),
              t('customers.merge.pointsText', {
                points: f.number(p.points.balance),
                entries: f.number(p.points.entries),
              }),
            ],
            [t('customers.merge.consents'), f.number(p.consents.length)],
            [t('customers.merge.addresses'), f.number(p.addresses.length)],
            [t('customers.merge.devices'), f.number(p.devices.length)],
            [t('customers.merge.sessions'), f.number(p.sessions_ended)],
            [
              t('customers.merge.filled'),
              filled.length === 0 ? '—' : filled.map(([k, v]) => `${k}: ${v}`).join(', '),
            ],
          ]}
        />
      </div>
    </Card>
  );
};

const MergePage = () => {
  const { t } = useTranslation();
  const toast = useToast();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const survivor = params.get('survivor') ?? '';
  const merged = params.get('merged') ?? '';
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const set = (k: 'survivor' | 'merged', v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const survivorQuery = useCustomer(survivor);
  const mergedQuery = useCustomer(merged);
  const inactive = [survivorQuery.data, mergedQuery.data].some((c) => c && c.status !== 'active');
  const ready = survivor !== '' && merged !== '' && survivor !== merged && !inactive;
  const preview = useQuery({
    queryKey: ['customer-merge-preview', survivor, merged],
    queryFn: () =>
      unwrap(
        staffApi.POST('/admin/customers/merge/preview', {
          body: { survivor_id: survivor, merged_id: merged },
        }),
      ),
    enabled: ready,
    staleTime: 0,
  });
  const merge = useMutation({
    mutationFn: () =>
      unwrap(
        staffApi.POST('/admin/customers/merge', {
          body: {
            survivor_id: survivor,
            merged_id: merged,
            ...(reason.trim() ? { reason: reason.trim() } : {}),
          },
        }),
      ),
    onSuccess: (m) => {
      toast(t('customers.merge.done'), 'success');
      void qc.invalidateQueries({ queryKey: keys.all });
      navigate(`/customers/merges/${m.id}`);
    },
  });
  return (
    <div className="pz-stack">
      <nav aria-label={t('customers.breadcrumb')}>
        <Link to="/customers">{t('customers.title')}</Link>
      </nav>
      <h1>{t('customers.merge.title')}</h1>
      <p className="pz-muted">{t('customers.merge.intro')}</p>
      <div className="cx-two">
        <Picker
          title={t('customers.merge.survivor')}
          value={survivor}
          onChange={(v) => set('survivor', v)}
          testId="merge-survivor"
        />
        <Picker
          title={t('customers.merge.merged')}
          value={merged}
          onChange={(v) => set('merged', v)}
          testId="merge-merged"
        />
      </div>
      <div className="pz-row">
        <Button
          disabled={!survivor && !merged}
          onClick={() => {
            const next = new URLSearchParams(params);
            if (merged) next.set('survivor', merged);
            else next.delete('survivor');
            if (survivor) next.set('merged', survivor);
            else next.delete('merged');
            setParams(next, { replace: true });
          }}
        >
          {t('customers.merge.swap')}
        </Button>
      </div>
      {survivor !== '' && survivor === merged && <Alert>{t('customers.merge.same')}</Alert>}
      {inactive && <Alert>{t('customers.merge.onlyActive')}</Alert>}
      {ready && (
        <QueryState query={preview} lines={5}>
          {(p) => (
            <div className="pz-stack">
              <PreviewView p={p} />
              <Card>
                <TextAreaField
                  label={t('customers.merge.reason')}
                  hint={t('customers.merge.reasonHint')}
                  value={reason}
                  maxLength={500}
                  onChange={(e) => setReason(e.target.value)}
                />
                <Button variant="primary" onClick={() => setConfirming(true)} data-testid="merge-submit">
                  {t('customers.merge.submit')}
                </Button>
              </Card>
            </div>
          )}
        </QueryState>
      )}
      <ConfirmAction
        open={confirming}
        onOpenChange={(o) => {
          setConfirming(o);
          if (!o) merge.reset();
        }}
        title={t('customers.merge.confirmTitle')}
        description={t('customers.merge.confirmText')}
        confirmLabel={t('customers.merge.submit')}
        onConfirm={() => merge.mutate()}
        busy={merge.isPending}
        error={merge.error ?? undefined}
        danger={false}
        testId="merge-confirm"
      />
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <MergePage />
  </RequireAdmin>
);

export default Guarded;
