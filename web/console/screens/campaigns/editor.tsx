/**
 * The campaign editor (new and draft campaigns): audience with its live count, media, content per
 * medium and variant (checked as it is typed, previewed for a chosen customer), schedule, A/B split
 * with an optional automatic winner, holdout. Saving keeps it a draft; scheduling is on its page.
 * A new campaign can be prefilled from the query string (prefill.ts; the strategy advisor's actions).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { CheckField, SelectField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { Button, Card, ProblemAlert } from '../../../kit/ui.tsx';
import { RequireAdmin } from '../customers/ui.tsx';
import { Audience } from './audience.tsx';
import { VariantsEditor } from './content.tsx';
import { type Campaign, type CampaignBody, campaignKeys, emptyContent, MEDIA, type Medium } from './data.ts';
import { prefillCampaign } from './prefill.ts';
import { Preview } from './preview.tsx';
import { Products } from './products.tsx';
import { ScheduleEditor } from './schedule.tsx';
import './campaigns.css';

const fresh = (): CampaignBody => ({
  name: '',
  media: ['email'],
  variants: [{ key: 'a', split: 100, content: emptyContent(['email']) }],
  schedule: { mode: 'now' },
  holdout_percent: 0,
});

/** The editable part of a saved campaign. */
const toBody = (c: Campaign): CampaignBody => ({
  name: c.name,
  kind: c.kind,
  media: c.media,
  variants: c.variants,
  schedule: c.schedule,
  holdout_percent: c.holdout_percent,
  ...(c.segment_id ? { segment_id: c.segment_id } : {}),
  ...(c.list_id ? { list_id: c.list_id } : {}),
  ...(c.winner ? { winner: c.winner } : {}),
  ...(c.product_ids.length > 0 ? { product_ids: c.product_ids } : {}),
  ...(c.require_in_stock ? { require_in_stock: true } : {}),
});

/** Adds or drops a medium, with its empty fields in every variant. */
const toggleMedium = (body: CampaignBody, m: Medium, on: boolean): CampaignBody => {
  const media = on
    ? MEDIA.filter((x) => x === m || body.media.includes(x))
    : body.media.filter((x) => x !== m);
  const variants = body.variants.map((v) => {
    const content = { ...v.content };
    if (on && !content[m]) Object.assign(content, emptyContent([m]));
    if (!on) delete content[m];
    return { ...v, content };
  });
  return { ...body, media, variants };
};

const Form = ({ id, initial }: { id: string | undefined; initial: CampaignBody }) => {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [body, setBody] = useState<CampaignBody>(initial);
  const [tried, setTried] = useState(false);
  const set = (patch: Partial<CampaignBody>) => setBody((b) => ({ ...b, ...patch }));
  const save = useMutation({
    mutationFn: () =>
      id
        ? unwrap(staffApi.PATCH('/admin/campaigns/{id}', { params: { path: { id } }, body }))
        : unwrap(staffApi.POST('/admin/campaigns', { body })),
    onSuccess: async (c) => {
      await qc.invalidateQueries({ queryKey: campaignKeys.all });
      navigate(`/campaigns/${c.id}`);
    },
  });
  const winnerOn = !!body.winner;
  return (
    <form
      className="pz-stack"
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        save.mutate();
      }}
    >
      <Card title={t('campaigns.editor.about')}>
        <div className="cm-fields">
          <Field
            label={t('campaigns.fields.name')}
            value={body.name}
            required
            dir="auto"
            onChange={(e) => set({ name: e.target.value })}
          />
          <SelectField
            label={t('campaigns.fields.kind')}
            value={body.kind ?? 'marketing'}
            onChange={(e) =>
              set({ kind: e.target.value === 'transactional' ? 'transactional' : 'marketing' })
            }
            options={[
              { value: 'marketing', label: t('campaigns.kinds.marketing') },
              { value: 'transactional', label: t('campaigns.kinds.transactional') },
            ]}
          />
        </div>
      </Card>
      <Audience campaignId={id} body={body} set={set} />
      <Card title={t('campaigns.editor.media')}>
        <fieldset className="cm-media">
          <legend className="visually-hidden">{t('campaigns.editor.media')}</legend>
          {MEDIA.map((m) => (
            <CheckField
              key={m}
              label={t(`campaigns.media.${m}`)}
              checked={body.media.includes(m)}
              data-testid={`campaign-medium-${m}`}
              onChange={(e) => setBody((b) => toggleMedium(b, m, e.target.checked))}
            />
          ))}
        </fieldset>
      </Card>
      <Products body={body} set={set} />
      <VariantsEditor body={body} set={set} showAll={tried || !!id} />
      <Preview body={body} />
      <ScheduleEditor body={body} set={set} />
      <Card title={t('campaigns.editor.testing')}>
        <div className="cm-fields">
          <Field
            label={t('campaigns.fields.holdout')}
            type="number"
            min={0}
            max={50}
            value={body.holdout_percent ?? 0}
            hint={t('campaigns.hints.holdout')}
            onChange={(e) => set({ holdout_percent: Math.max(0, Math.min(50, Number(e.target.value) || 0)) })}
          />
        </div>
        {body.variants.length > 1 && (
          <CheckField
            label={t('campaigns.winner.on')}
            checked={winnerOn}
            onChange={(e) =>
              set({
                winner: e.target.checked ? { metric: 'click', test_percent: 20, after_minutes: 240 } : null,
              })
            }
          />
        )}
        {body.winner && body.variants.length > 1 && (
          <div className="cm-fields">
            <SelectField
              label={t('campaigns.winner.metric')}
              value={body.winner.metric}
              onChange={(e) =>
                body.winner &&
                set({
                  winner: {
                    ...body.winner,
                    metric:
                      e.target.value === 'open'
                        ? 'open'
                        : e.target.value === 'conversion'
                          ? 'conversion'
                          : 'click',
                  },
                })
              }
              options={(['open', 'click', 'conversion'] as const).map((m) => ({
                value: m,
                label: t(`campaigns.winner.metrics.${m}`),
              }))}
            />
            <Field
              label={t('campaigns.winner.testPercent')}
              type="number"
              min={1}
              max={100}
              value={body.winner.test_percent}
              onChange={(e) =>
                body.winner && set({ winner: { ...body.winner, test_percent: Number(e.target.value) } })
              }
            />
            <Field
              label={t('campaigns.winner.after')}
              type="number"
              min={1}
              value={body.winner.after_minutes}
              onChange={(e) =>
                body.winner && set({ winner: { ...body.winner, after_minutes: Number(e.target.value) } })
              }
            />
          </div>
        )}
      </Card>
      {save.isError && <ProblemAlert error={save.error} />}
      <div className="pz-row">
        <Button type="submit" variant="primary" busy={save.isPending} data-testid="campaign-save">
          {t('campaigns.editor.save')}
        </Button>
        <Link className="pz-btn" to={id ? `/campaigns/${id}` : '/campaigns'}>
          {t('campaigns.editor.cancel')}
        </Link>
      </div>
    </form>
  );
};

const Editor = () => {
  const { t } = useTranslation();
  const { id } = useParams();
  const [search] = useSearchParams();
  const query = useQuery({
    queryKey: campaignKeys.one(id ?? ''),
    enabled: !!id,
    queryFn: () => unwrap(staffApi.GET('/admin/campaigns/{id}', { params: { path: { id: id ?? '' } } })),
  });
  return (
    <div className="pz-stack">
      <nav aria-label={t('campaigns.breadcrumb')}>
        <Link to="/campaigns">{t('campaigns.title')}</Link>
      </nav>
      {id ? (
        <QueryState query={query} lines={8}>
          {(c) => (
            <>
              <h1 dir="auto">{t('campaigns.editor.editTitle', { name: c.name })}</h1>
              <Form id={c.id} initial={toBody(c)} />
            </>
          )}
        </QueryState>
      ) : (
        <>
          <h1>{t('campaigns.editor.newTitle')}</h1>
          <Form id={undefined} initial={prefillCampaign(search, fresh())} />
        </>
      )}
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <Editor />
  </RequireAdmin>
);

export default Guarded;
