/**
 * The scoring model's weights (GET/PUT /admin/strategy/weights): the factors with their input, how
 * the input becomes a signal and the rationale; their weights per strategy and the hybrid margin
 * edited in the table, or everything as JSON. A reason is required; the API's refusals show on the
 * factor they concern and in full. Below, every version with who changed it, when and why.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, unwrap } from '../../../kit/api.ts';
import { TextAreaField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Alert, Button, Card } from '../../../kit/ui.tsx';
import { Actor, Problem } from '../customers/ui.tsx';
import { strategyApi, strategyKeys, type Weights, type WeightsHistory, type WeightsNow } from './data.ts';
import { useNames } from './names.tsx';
import { StrategyPage } from './page.tsx';
import {
  applyCells,
  type Cells,
  cellsOf,
  factorOfPath,
  parseWeights,
  STRATEGY_KEYS,
} from './weights-form.ts';

type Factor = Weights['factors'][number];
type Mode = 'table' | 'json';

const Transform = ({ f }: { f: Factor }) => {
  const { t } = useTranslation();
  const fmt = useFormat();
  const x = f.transform;
  if (x.kind === 'linear')
    return <>{t('strategy.weights.linear', { low: fmt.number(x.low), high: fmt.number(x.high) })}</>;
  const entries = Object.entries(x.values)
    .map(([k, v]) => `${k} ${v > 0 ? '+' : ''}${fmt.number(v)}`)
    .join(' · ');
  return (
    <>
      {t(`strategy.weights.${x.kind}`)}{' '}
      <span className="pz-mono st-small" dir="ltr">
        {entries}
      </span>
    </>
  );
};

const Editor = ({ now }: { now: WeightsNow }) => {
  const { t } = useTranslation();
  const n = useNames();
  const qc = useQueryClient();
  const toast = useToast();
  const [mode, setMode] = useState<Mode>('table');
  const [cells, setCells] = useState<Cells>(() => cellsOf(now.weights));
  const [json, setJson] = useState(() => JSON.stringify(now.weights, null, 2));
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<string[]>([]);
  const [jsonError, setJsonError] = useState<string | undefined>();
  const [tried, setTried] = useState(false);
  const save = useMutation({
    mutationFn: (weights: Weights) =>
      unwrap(staffApi.PUT('/admin/strategy/weights', { body: { weights, reason: reason.trim() } })),
    // the new version remounts the editor (keyed by version) with its figures and an empty reason
    onSuccess: async (w) => {
      qc.setQueryData(strategyKeys.weights, w);
      await qc.invalidateQueries({ queryKey: strategyKeys.weightsHistory });
      toast(t('strategy.weights.saved', { n: w.version }), 'success');
    },
  });
  const problems = save.error instanceof ApiError ? (save.error.problem.errors ?? []) : [];
  const factorProblem = (i: number) => problems.find((p) => factorOfPath(p.path) === i)?.message;
  const reasonError =
    (tried && reason.trim().length < 3 ? t('strategy.weights.errors.reason') : undefined) ??
    (save.error instanceof ApiError ? save.error.fieldError('body.reason') : undefined);
  const submit = () => {
    setTried(true);
    setJsonError(undefined);
    const read = mode === 'table' ? applyCells(now.weights, cells) : parseWeights(json);
    if ('invalid' in read) return setInvalid(read.invalid);
    if ('error' in read) return setJsonError(read.error);
    setInvalid([]);
    if (reason.trim().length >= 3) save.mutate(read.weights);
  };
  const cell = (key: string, label: string) => (
    <input
      className="pz-input st-weight"
      inputMode="decimal"
      dir="ltr"
      aria-label={label}
      aria-invalid={invalid.includes(key) || undefined}
      value={cells[key] ?? ''}
      onChange={(e) => setCells((c) => ({ ...c, [key]: e.target.value }))}
      data-testid={`weight-${key}`}
    />
  );
  const columns: ColumnDef<Factor, unknown>[] = [
    {
      id: 'factor',
      header: t('strategy.contributions.factor'),
      cell: ({ row }) => (
        <div className="st-cell-text">
          <strong className="st-cap">{n.factor(row.original.key)}</strong>
          <div className="pz-muted st-small">
            {t(`strategy.sources.${row.original.source}`)} ·{' '}
            <span className="st-cap">{n.input(row.original.input)}</span>
          </div>
          {factorProblem(row.index) && <div className="pz-error">{factorProblem(row.index)}</div>}
        </div>
      ),
    },
    {
      id: 'transform',
      header: t('strategy.weights.transform'),
      cell: ({ row }) => <Transform f={row.original} />,
    },
    ...STRATEGY_KEYS.map(
      (s): ColumnDef<Factor, unknown> => ({
        id: s,
        header: n.strategy(s),
        cell: ({ row }) =>
          cell(
            `${row.index}.${s}`,
            t('strategy.weights.cell', { factor: n.factor(row.original.key), strategy: n.strategy(s) }),
          ),
      }),
    ),
    {
      id: 'rationale',
      header: t('strategy.weights.rationale'),
      cell: ({ row }) => (
        <span className="st-cell-text st-small" lang="en" dir="ltr">
          {row.original.rationale}
        </span>
      ),
    },
  ];
  return (
    <div className="pz-stack">
      <fieldset className="pz-row st-modes">
        <legend className="visually-hidden">{t('strategy.weights.mode')}</legend>
        {(['table', 'json'] as const).map((m) => (
          <Button
            key={m}
            variant={mode === m ? 'primary' : 'secondary'}
            aria-pressed={mode === m}
            onClick={() => setMode(m)}
          >
            {t(`strategy.weights.modes.${m}`)}
          </Button>
        ))}
      </fieldset>
      {mode === 'table' ? (
        <>
          <div className="st-fields">
            <Field
              label={t('strategy.weights.hybridMargin')}
              hint={t('strategy.weights.hybridMarginHint')}
              inputMode="decimal"
              value={cells.hybrid_margin ?? ''}
              error={invalid.includes('hybrid_margin') ? t('strategy.weights.errors.margin') : undefined}
              onChange={(e) => setCells((c) => ({ ...c, hybrid_margin: e.target.value }))}
            />
          </div>
          {invalid.some((k) => k !== 'hybrid_margin') && <Alert>{t('strategy.weights.errors.number')}</Alert>}
          <DataTable
            caption={t('strategy.weights.factors')}
            columns={columns}
            data={now.weights.factors}
            rowId={(f) => f.key}
            rowTestId="weight-row"
          />
        </>
      ) : (
        <TextAreaField
          label={t('strategy.weights.json')}
          hint={t('strategy.weights.jsonHint')}
          className="st-json"
          rows={24}
          dir="ltr"
          spellCheck={false}
          value={json}
          error={jsonError ? t('strategy.weights.errors.json', { message: jsonError }) : undefined}
          onChange={(e) => setJson(e.target.value)}
          data-testid="weights-json"
        />
      )}
      <Field
        label={t('strategy.weights.reason')}
        hint={t('strategy.weights.reasonHint')}
        value={reason}
        dir="auto"
        maxLength={1000}
        error={reasonError}
        onChange={(e) => setReason(e.target.value)}
        data-testid="weights-reason"
      />
      {save.isError && <Problem error={save.error} />}
      <div className="pz-row">
        <Button variant="primary" onClick={submit} busy={save.isPending} data-testid="weights-save">
          {t('strategy.weights.save')}
        </Button>
      </div>
    </div>
  );
};

const HistoryTable = ({ history }: { history: WeightsHistory }) => {
  const { t } = useTranslation();
  const f = useFormat();
  const columns: ColumnDef<WeightsHistory['data'][number], unknown>[] = [
    {
      id: 'version',
      header: t('strategy.weights.version'),
      cell: ({ row }) => f.number(row.original.version),
    },
    { id: 'when', header: t('strategy.history.when'), cell: ({ row }) => f.date(row.original.changed_at) },
    {
      id: 'by',
      header: t('strategy.weights.by'),
      cell: ({ row }) => <Actor actor={row.original.changed_by} />,
    },
    {
      id: 'reason',
      header: t('strategy.weights.reason'),
      cell: ({ row }) => <span dir="auto">{row.original.reason}</span>,
    },
  ];
  return (
    <DataTable
      caption={t('strategy.weights.history')}
      columns={columns}
      data={history.data}
      rowId={(r) => String(r.version)}
      rowTestId="weights-version"
    />
  );
};

const WeightsScreen = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useQuery({
    queryKey: strategyKeys.weights,
    queryFn: strategyApi.weights,
  });
  const history = useQuery({
    queryKey: strategyKeys.weightsHistory,
    queryFn: strategyApi.weightsHistory,
  });
  return (
    <StrategyPage>
      <Card title={t('strategy.weights.title')}>
        <p className="pz-muted">{t('strategy.weights.intro')}</p>
        <QueryState query={now} lines={10}>
          {(w) => (
            <div className="pz-stack">
              <p className="pz-muted" data-testid="weights-current">
                {t('strategy.weights.current', { n: f.number(w.version), at: f.date(w.changed_at) })}
              </p>
              <Editor key={w.version} now={w} />
            </div>
          )}
        </QueryState>
      </Card>
      <Card title={t('strategy.weights.history')}>
        <QueryState query={history}>{(h) => <HistoryTable history={h} />}</QueryState>
      </Card>
    </StrategyPage>
  );
};

export default WeightsScreen;
