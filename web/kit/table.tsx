/**
 * Server-paginated tables: TanStack Table for the columns and rows, Plaza's keyset cursors
 * (`next_cursor`) for paging. Sorting and filtering happen on the server, through the list's query.
 */
import { type ColumnDef, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useFormat } from './format.ts';
import { Button, EmptyState, Skeleton } from './ui.tsx';

export type { ColumnDef } from '@tanstack/react-table';

export interface DataTableProps<T> {
  columns: ColumnDef<T, unknown>[];
  data: T[] | undefined;
  loading?: boolean;
  caption: string;
  empty?: string;
  onRowClick?: (row: T) => void;
  rowId?: (row: T) => string;
  /** `data-testid` of every body row (for browser tests). */
  rowTestId?: string;
}

export const DataTable = <T,>({
  columns,
  data,
  loading,
  caption,
  empty,
  onRowClick,
  rowId,
  rowTestId,
}: DataTableProps<T>) => {
  const { t } = useTranslation('kit');
  const table = useReactTable({
    data: data ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
    ...(rowId ? { getRowId: (r: T) => rowId(r) } : {}),
  });
  if (loading && !data) return <Skeleton lines={6} />;
  if (data && data.length === 0) return <EmptyState title={empty ?? t('empty')} />;
  return (
    // a wide table scrolls: the region is focusable so keyboard users can scroll it too
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
    <section className="pz-table-wrap" tabIndex={0} aria-label={caption}>
      <table className="pz-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id}>
              {g.headers.map((h) =>
                // column groups (a header over several columns) span them; the cell above an ungrouped column is empty
                h.isPlaceholder ? (
                  <td key={h.id} colSpan={h.colSpan > 1 ? h.colSpan : undefined} />
                ) : (
                  <th
                    key={h.id}
                    scope={h.subHeaders.length > 0 ? 'colgroup' : 'col'}
                    colSpan={h.colSpan > 1 ? h.colSpan : undefined}
                  >
                    {flexRender(h.column.columnDef.header, h.getContext())}
                  </th>
                ),
              )}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr
              key={row.id}
              data-testid={rowTestId}
              data-clickable={onRowClick ? 'true' : undefined}
              onClick={onRowClick ? () => onRowClick(row.original) : undefined}
            >
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

/** Keyset paging state: the cursor of the page shown and the ones before it (for "previous"). */
export const useCursorPager = () => {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const cursor = stack.at(-1);
  const next = useCallback((c: string | null | undefined) => c && setStack((s) => [...s, c]), []);
  const prev = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([undefined]), []);
  return { cursor, page: stack.length, next, prev, reset, hasPrev: stack.length > 1 };
};

export const Pager = ({
  pager,
  nextCursor,
}: {
  pager: ReturnType<typeof useCursorPager>;
  nextCursor: string | null | undefined;
}) => {
  const { t } = useTranslation('kit');
  const f = useFormat();
  return (
    <nav className="pz-pager" aria-label={t('pagination')}>
      <Button onClick={pager.prev} disabled={!pager.hasPrev}>
        {t('previous')}
      </Button>
      <span className="pz-muted">{t('page', { page: f.number(pager.page) })}</span>
      <Button onClick={() => pager.next(nextCursor)} disabled={!nextCursor}>
        {t('next')}
      </Button>
    </nav>
  );
};

/** A yes/no filter kept in the page's URL (`?name=1`), e.g. "show archived" on a list. */
export const useFlagParam = (name: string): [boolean, (on: boolean) => void] => {
  const [params, setParams] = useSearchParams();
  const set = (on: boolean) => {
    const next = new URLSearchParams(params);
    if (on) next.set(name, '1');
    else next.delete(name);
    setParams(next, { replace: true });
  };
  return [params.get(name) === '1', set];
};
