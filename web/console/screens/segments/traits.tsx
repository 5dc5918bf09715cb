/** Computed traits: the list, defining one (a form per kind), changing and archiving it. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, unwrap } from '../../../kit/api.ts';
import { CheckField } from '../../../kit/fields.tsx';
import { Field } from '../../../kit/form.tsx';
import { useFormat } from '../../../kit/format.ts';
import { Dialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, useFlagParam } from '../../../kit/table.tsx';
import { Badge, Button, ProblemAlert } from '../../../kit/ui.tsx';
import { ConfirmAction, Problem, RequireAdmin } from '../customers/ui.tsx';
import { type ComputedTrait, DEFAULT_RISK_DAYS, type Definition, segmentKeys } from './data.ts';
import { DefinitionFields, definitionOf } from './definition.tsx';
import './segments.css';

/** A definition in a line: its kind and what narrows it. */
const useSummary = () => {
  const { t } = useTranslation();
  const f = useFormat();
  return (d: Definition): string => {
    const parts = [t(`segments.traits.kinds.${d.kind}`)];
    if ('event' in d && d.event) parts.push(`“${d.event}”`);
    if ('currency' in d) parts.push(d.currency);
    if ('windowDays' in d && d.windowDays)
      parts.push(t('segments.traits.lastDays', { n: f.number(d.windowDays) }));
    if ('channelType' in d && d.channelType) parts.push(t(`segments.traits.channels.${d.channelType}`));
    if ('inStockOnly' in d && d.inStockOnly) parts.push(t('segments.traits.inStock'));
    if (d.kind === 'items_at_risk') {
      const days = d.days ?? DEFAULT_RISK_DAYS;
      parts.push(t('segments.traits.withinDays', { count: days, n: f.number(days) }));
    }
    return parts.join(' · ');
  };
};

const TraitForm = ({ trait, onDone }: { trait?: ComputedTrait; onDone: () => void }) => {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [key, setKey] = useState(trait?.key ?? '');
  const [name, setName] = useState(trait?.name ?? '');
  const [description, setDescription] = useState(trait?.description ?? '');
  const [definition, setDefinition] = useState<Definition>(
    trait?.definition ?? definitionOf('order_count', { windowDays: 90 }),
  );
  const save = useMutation({
    mutationFn: () => {
      const common = { name: name.trim(), description: description.trim() || null, definition };
      return trait
        ? unwrap(
            staffApi.PATCH('/admin/computed-traits/{id}', {
              params: { path: { id: trait.id } },
              body: common,
            }),
          )
        : unwrap(staffApi.POST('/admin/computed-traits', { body: { key: key.trim(), ...common } }));
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: segmentKeys.traits });
      onDone();
    },
  });
  const fieldError = (p: string) => (save.error instanceof ApiError ? save.error.fieldError(p) : undefined);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Field
        label={t('segments.traits.key')}
        hint={t('segments.traits.keyHint')}
        value={key}
        dir="ltr"
        disabled={trait !== undefined}
        error={fieldError('body.key')}
        onChange={(e) => setKey(e.target.value)}
        data-testid="trait-key"
      />
      <Field
        label={t('segments.fields.name')}
        value={name}
        dir="auto"
        error={fieldError('body.name')}
        onChange={(e) => setName(e.target.value)}
      />
      <Field
        label={t('segments.fields.description')}
        value={description}
        dir="auto"
        onChange={(e) => setDescription(e.target.value)}
      />
      <DefinitionFields value={definition} onChange={setDefinition} />
      {save.isError && <Problem error={save.error} />}
      <Button type="submit" variant="primary" busy={save.isPending} data-testid="trait-save">
        {trait ? t('segments.traits.save') : t('segments.traits.create')}
      </Button>
    </form>
  );
};

const TraitsPage = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const summary = useSummary();
  const [archived, setArchived] = useFlagParam('archived');
  const [editing, setEditing] = useState<ComputedTrait | 'new' | undefined>();
  const [archiving, setArchiving] = useState<ComputedTrait | undefined>();
  const query = useQuery({
    queryKey: [...segmentKeys.traits, archived],
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/computed-traits', { params: { query: archived ? { archived: true } : {} } }),
      ),
  });
  const archive = useMutation({
    mutationFn: (id: string) =>
      unwrap(staffApi.POST('/admin/computed-traits/{id}/archive', { params: { path: { id } } })),
    onSuccess: async () => {
      setArchiving(undefined);
      await qc.invalidateQueries({ queryKey: segmentKeys.traits });
    },
  });
  const columns: ColumnDef<ComputedTrait, unknown>[] = [
    {
      id: 'name',
      header: t('segments.fields.name'),
      cell: ({ row }) => <span dir="auto">{row.original.name}</span>,
    },
    {
      id: 'key',
      header: t('segments.traits.key'),
      cell: ({ row }) => (
        <code dir="ltr" className="pz-mono">
          {row.original.key}
        </code>
      ),
    },
    {
      id: 'definition',
      header: t('segments.traits.definition'),
      cell: ({ row }) => summary(row.original.definition),
    },
    {
      id: 'computed',
      header: t('segments.traits.computedAt'),
      cell: ({ row }) =>
        row.original.last_full_at ? (
          f.date(row.original.last_full_at)
        ) : (
          <Badge tone="warning">{t('segments.traits.pending')}</Badge>
        ),
    },
    {
      id: 'actions',
      header: t('segments.fields.actions'),
      cell: ({ row }) =>
        row.original.archived_at ? (
          <Badge>{t('segments.archived')}</Badge>
        ) : (
          <div className="pz-row">
            <Button onClick={() => setEditing(row.original)}>{t('segments.edit')}</Button>
            <Button variant="danger" onClick={() => setArchiving(row.original)}>
              {t('segments.archive.open')}
            </Button>
          </div>
        ),
    },
  ];
  return (
    <div className="pz-stack">
      <div className="pz-row">
        <h1>{t('segments.traits.title')}</h1>
        <span className="pz-spacer" />
        <Button variant="primary" onClick={() => setEditing('new')} data-testid="trait-new">
          {t('segments.traits.new')}
        </Button>
      </div>
      <p className="pz-muted">{t('segments.traits.intro')}</p>
      <CheckField
        label={t('segments.traits.showArchived')}
        checked={archived}
        onChange={(e) => setArchived(e.target.checked)}
      />
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <DataTable
          caption={t('segments.traits.title')}
          columns={columns}
          data={query.data?.data}
          loading={query.isPending}
          rowId={(x) => x.id}
          rowTestId="trait-row"
          empty={t('segments.traits.empty')}
        />
      )}
      <Dialog
        open={editing !== undefined}
        onOpenChange={(o) => !o && setEditing(undefined)}
        title={
          editing === 'new' || editing === undefined
            ? t('segments.traits.new')
            : t('segments.traits.editTitle', { name: editing.name })
        }
      >
        {editing !== undefined && (
          <TraitForm
            key={editing === 'new' ? 'new' : editing.id}
            {...(editing === 'new' ? {} : { trait: editing })}
            onDone={() => setEditing(undefined)}
          />
        )}
      </Dialog>
      <ConfirmAction
        open={archiving !== undefined}
        onOpenChange={(o) => !o && setArchiving(undefined)}
        title={t('segments.traits.archiveTitle')}
        description={t('segments.traits.archiveIntro')}
        confirmLabel={t('segments.archive.confirm')}
        onConfirm={() => archiving && archive.mutate(archiving.id)}
        busy={archive.isPending}
        error={archive.error}
      />
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <TraitsPage />
  </RequireAdmin>
);

export default Guarded;
