/**
 * The segment builder (`/segments/new`, `/segments/:id/edit`): name, the rule tree, and a live count
 * with a sample (POST /admin/segments/preview, sent 400 ms after the last change), then save.
 * A new segment can start from the query string (prefill.ts: a template, a name; the strategy advisor).
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { Alert, Button, Card, Skeleton } from '../../../kit/ui.tsx';
import { Problem, RequireAdmin } from '../customers/ui.tsx';
import { type Rules, type Segment, segmentKeys } from './data.ts';
import { prefillSegment } from './prefill.ts';
import { pruneEmpty, RuleTree } from './rule-tree.tsx';
import './segments.css';

const REFRESH = [15, 60, 360, 1440] as const;
const START: Rules = { all: [{ orders: { count: { op: 'gte', value: 1 }, within: { days: 90 } } }] };

/** The value, once it has not changed for `ms`. */
const useDebounced = <T,>(value: T, ms: number): T => {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
};

const PreviewPanel = ({ rules }: { rules: Rules | undefined }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const json = useDebounced(rules ? JSON.stringify(rules) : '', 400);
  const preview = useQuery({
    queryKey: segmentKeys.preview(json),
    queryFn: () =>
      unwrap(staffApi.POST('/admin/segments/preview', { body: { rules: JSON.parse(json) as Rules } })),
    enabled: json !== '',
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
  const invalid = preview.error instanceof ApiError && preview.error.status === 400;
  return (
    <Card title={t('segments.preview.title')}>
      <div aria-live="polite" className="pz-stack">
        {json === '' ? (
          <p className="pz-muted">{t('segments.preview.empty')}</p>
        ) : preview.isPending ? (
          <Skeleton lines={2} />
        ) : invalid ? (
          <Alert tone="warning">
            {t('segments.preview.incomplete')}
            <ul className="sg-sample">
              {((preview.error as ApiError).problem.errors ?? []).slice(0, 5).map((e) => (
                <li key={`${e.path} ${e.message}`}>
                  <code dir="ltr">{e.path.replace(/^body\.rules\.?/, '')}</code> {e.message}
                </li>
              ))}
            </ul>
            {!(preview.error as ApiError).problem.errors?.length &&
              (preview.error as ApiError).problem.detail}
          </Alert>
        ) : preview.isError ? (
          <Problem error={preview.error} onRetry={() => void preview.refetch()} />
        ) : (
          <>
            <p>
              <span className="sg-count" data-testid="segment-preview-count" data-count={preview.data.count}>
                {f.number(preview.data.count)}
              </span>{' '}
              {t('segments.preview.customers', { count: preview.data.count })}
              {preview.isFetching && <span className="pz-muted"> · {t('segments.preview.updating')}</span>}
            </p>
            {preview.data.sample.length > 0 && (
              <>
                <h3>{t('segments.preview.sample')}</h3>
                <ul className="sg-sample" data-testid="segment-preview-sample">
                  {preview.data.sample.map((c) => (
                    <li key={c.id}>
                      <Link to={`/customers/${c.id}`} dir="auto">
                        {c.name || c.email || c.id}
                      </Link>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
      </div>
    </Card>
  );
};

const Builder = ({ segment }: { segment?: Segment }) => {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [search] = useSearchParams();
  const [start] = useState(() => prefillSegment(search, START));
  const [name, setName] = useState(segment ? segment.name : start.name);
  const [description, setDescription] = useState(segment ? (segment.description ?? '') : start.description);
  const [refresh, setRefresh] = useState(String(segment?.refresh_minutes ?? 60));
  const [rules, setRules] = useState<Rules>(segment ? segment.rules : start.rules);
  const sendable = pruneEmpty(rules);
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        refresh_minutes: Number(refresh),
        rules: sendable ?? rules,
      };
      return segment
        ? unwrap(staffApi.PATCH('/admin/segments/{id}', { params: { path: { id: segment.id } }, body }))
        : unwrap(staffApi.POST('/admin/segments', { body }));
    },
    onSuccess: async (s) => {
      await qc.invalidateQueries({ queryKey: segmentKeys.all });
      navigate(`/segments/${s.id}`);
    },
  });
  const nameError = save.error instanceof ApiError ? save.error.fieldError('body.name') : undefined;
  return (
    <div className="pz-stack">
      <nav aria-label={t('segments.breadcrumb')}>
        <Link to="/segments">{t('segments.title')}</Link>
      </nav>
      <h1>
        {segment ? t('segments.builder.editTitle', { name: segment.name }) : t('segments.builder.newTitle')}
      </h1>
      <div className="sg-builder">
        <div className="pz-stack">
          <Card title={t('segments.builder.about')}>
            <Field
              label={t('segments.fields.name')}
              value={name}
              dir="auto"
              error={nameError}
              onChange={(e) => setName(e.target.value)}
              data-testid="segment-name"
            />
            <Field
              label={t('segments.fields.description')}
              value={description}
              dir="auto"
              onChange={(e) => setDescription(e.target.value)}
            />
            <SelectField
              label={t('segments.fields.refresh')}
              hint={t('segments.hints.refresh')}
              value={refresh}
              onChange={(e) => setRefresh(e.target.value)}
            >
              {[...new Set([...REFRESH, Number(refresh)])].map((m) => (
                <option key={m} value={String(m)}>
                  {t('segments.refresh', { count: m, n: m })}
                </option>
              ))}
            </SelectField>
          </Card>
          <Card title={t('segments.builder.rules')}>
            <RuleTree rules={rules} onChange={setRules} />
          </Card>
          {save.isError && <Problem error={save.error} />}
          <div className="pz-row">
            <Button
              variant="primary"
              onClick={() => save.mutate()}
              busy={save.isPending}
              disabled={!sendable || name.trim() === ''}
              data-testid="segment-save"
            >
              {t('segments.builder.save')}
            </Button>
            <Link className="pz-btn" to={segment ? `/segments/${segment.id}` : '/segments'}>
              {t('segments.builder.cancel')}
            </Link>
          </div>
        </div>
        <PreviewPanel rules={sendable} />
      </div>
    </div>
  );
};

const BuilderPage = () => {
  const { id } = useParams();
  const query = useQuery({
    queryKey: segmentKeys.one(id ?? ''),
    queryFn: () => unwrap(staffApi.GET('/admin/segments/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: id !== undefined,
  });
  if (id === undefined) return <Builder />;
  return <QueryState query={query}>{(s) => <Builder key={s.id} segment={s} />}</QueryState>;
};

const Guarded = () => (
  <RequireAdmin>
    <BuilderPage />
  </RequireAdmin>
);

export default Guarded;
