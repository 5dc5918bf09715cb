/**
 * Journeys: the list, and a new journey from a ready-made template (the dialog opens prefilled from the
 * query string, prefill.ts: the strategy advisor's actions).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { SelectField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { Dialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable } from '../../../kit/table.tsx';
import { Badge, Button, ProblemAlert } from '../../../kit/ui.tsx';
import { RequireAdmin } from '../customers/ui.tsx';
import {
  type JourneyList,
  journeyKeys,
  type Params,
  statusTone,
  TEMPLATE_PARAMS,
  TEMPLATES,
  type Template,
} from './data.ts';
import { type JourneyPrefill, prefillJourney } from './prefill.ts';

type Row = JourneyList['data'][number];

const CreateDialog = ({
  open,
  onOpenChange,
  initial,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  initial: JourneyPrefill | undefined;
}) => {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [template, setTemplate] = useState<Template>(initial?.template ?? 'abandoned_cart');
  const [name, setName] = useState(initial?.name ?? '');
  const [params, setParams] = useState<Params>(initial?.params ?? {});
  const segments = useQuery({
    queryKey: ['segments', 'list', false],
    enabled: open && TEMPLATE_PARAMS[template].includes('segment_id'),
    queryFn: () => unwrap(staffApi.GET('/admin/segments', { params: { query: { limit: 100 } } })),
  });
  const create = useMutation({
    mutationFn: () => {
      const wanted = TEMPLATE_PARAMS[template];
      const chosen = Object.fromEntries(
        Object.entries(params).filter(
          ([k, v]) => wanted.includes(k as keyof Params) && v !== '' && v !== undefined,
        ),
      ) as Params;
      return unwrap(
        staffApi.POST('/admin/journeys', {
          body: {
            template,
            ...(name.trim() ? { name: name.trim() } : {}),
            ...(Object.keys(chosen).length > 0 ? { params: chosen } : {}),
          },
        }),
      );
    },
    onSuccess: async (j) => {
      await qc.invalidateQueries({ queryKey: journeyKeys.all });
      navigate(`/journeys/${j.id}`);
    },
  });
  const num = (k: 'idle_minutes' | 'hours_before' | 'days_after') => (
    <Field
      key={k}
      label={t(`journeys.params.${k}`)}
      type="number"
      min={1}
      value={params[k] ?? ''}
      onChange={(e) => setParams({ ...params, [k]: e.target.value ? Number(e.target.value) : undefined })}
    />
  );
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={t('journeys.create.title')}>
      <form
        className="pz-stack"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <SelectField
          label={t('journeys.create.template')}
          value={template}
          data-testid="journey-template"
          onChange={(e) => setTemplate(TEMPLATES.find((x) => x === e.target.value) ?? template)}
          options={TEMPLATES.map((x) => ({ value: x, label: t(`journeys.templates.${x}.name`) }))}
        />
        <p className="pz-muted">{t(`journeys.templates.${template}.about`)}</p>
        <Field
          label={t('journeys.fields.name')}
          value={name}
          dir="auto"
          hint={t('journeys.create.nameHint')}
          onChange={(e) => setName(e.target.value)}
        />
        {TEMPLATE_PARAMS[template].map((k) =>
          k === 'segment_id' ? (
            <SelectField
              key={k}
              label={t('journeys.params.segment_id')}
              value={params.segment_id ?? ''}
              onChange={(e) => setParams({ ...params, segment_id: e.target.value || undefined })}
            >
              <option value="">{t('journeys.params.noSegment')}</option>
              {segments.data?.data.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </SelectField>
          ) : (
            num(k)
          ),
        )}
        {create.isError && <ProblemAlert error={create.error} />}
        <div className="pz-row">
          <Button type="submit" variant="primary" busy={create.isPending} data-testid="journey-create-submit">
            {t('journeys.create.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
};

const JourneysList = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const [prefill] = useState(() => prefillJourney(search));
  const [creating, setCreating] = useState(prefill !== undefined);
  const query = useQuery({
    queryKey: journeyKeys.list(undefined),
    queryFn: () => unwrap(staffApi.GET('/admin/journeys', { params: { query: { limit: 100 } } })),
  });
  const columns: ColumnDef<Row, unknown>[] = [
    {
      id: 'name',
      header: t('journeys.fields.name'),
      cell: ({ row }) => (
        <Link to={`/journeys/${row.original.id}`} dir="auto">
          {row.original.name}
        </Link>
      ),
    },
    {
      id: 'status',
      header: t('journeys.fields.status'),
      cell: ({ row }) => (
        <Badge tone={statusTone(row.original.status)}>{t(`journeys.statuses.${row.original.status}`)}</Badge>
      ),
    },
    {
      id: 'template',
      header: t('journeys.fields.template'),
      cell: ({ row }) =>
        row.original.template ? t(`journeys.templates.${row.original.template}.name`) : '—',
    },
    {
      id: 'kind',
      header: t('journeys.fields.kind'),
      cell: ({ row }) => t(`journeys.kinds.${row.original.kind}`),
    },
    {
      id: 'version',
      header: t('journeys.fields.version'),
      cell: ({ row }) => (row.original.current_version ? f.number(row.original.current_version) : '—'),
    },
    {
      id: 'updated',
      header: t('journeys.fields.updated'),
      cell: ({ row }) => f.date(row.original.updated_at),
    },
  ];
  return (
    <div className="pz-stack">
      <div className="pz-row">
        <h1>{t('journeys.title')}</h1>
        <span className="pz-spacer" />
        <Button variant="primary" onClick={() => setCreating(true)} data-testid="journey-new">
          {t('journeys.new')}
        </Button>
      </div>
      <p className="pz-muted">{t('journeys.intro')}</p>
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <DataTable
          caption={t('journeys.title')}
          columns={columns}
          data={query.data?.data}
          loading={query.isPending}
          rowId={(j) => j.id}
          rowTestId="journey-row"
          empty={t('journeys.empty')}
          onRowClick={(j) => navigate(`/journeys/${j.id}`)}
        />
      )}
      {creating && <CreateDialog open={creating} onOpenChange={setCreating} initial={prefill} />}
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <JourneysList />
  </RequireAdmin>
);

export default Guarded;
