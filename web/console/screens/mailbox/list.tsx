/** The mailbox: newest first, keyset paged; a message opens on its own page. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { useFormat } from '../../../kit/format.ts';
import { staffApi } from '../../../kit/session.tsx';
import { type ColumnDef, DataTable, Pager, useCursorPager } from '../../../kit/table.tsx';
import { ProblemAlert } from '../../../kit/ui.tsx';
import { RequireAdmin } from '../customers/ui.tsx';
import type { MailboxList } from './data.ts';

type Row = MailboxList['data'][number];

const Mailbox = () => {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const pager = useCursorPager();
  const query = useQuery({
    queryKey: ['mailbox', pager.cursor],
    queryFn: () =>
      unwrap(
        staffApi.GET('/admin/mailbox', {
          params: { query: { limit: 50, ...(pager.cursor ? { cursor: pager.cursor } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: pager.page === 1 ? 5000 : false,
  });
  const columns: ColumnDef<Row, unknown>[] = [
    {
      id: 'subject',
      header: t('mailbox.subject'),
      cell: ({ row }) => (
        <Link to={`/mailbox/${row.original.id}`} dir="auto" data-testid="mailbox-subject">
          {row.original.subject}
        </Link>
      ),
    },
    {
      id: 'to',
      header: t('mailbox.to'),
      cell: ({ row }) => (
        <span dir="ltr" data-testid="mailbox-to">
          {row.original.to}
        </span>
      ),
    },
    { id: 'at', header: t('mailbox.at'), cell: ({ row }) => f.date(row.original.created_at) },
  ];
  return (
    <div className="pz-stack">
      <h1>{t('mailbox.title')}</h1>
      <p className="pz-muted">{t('mailbox.intro')}</p>
      {query.isError ? (
        <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <DataTable
            caption={t('mailbox.title')}
            columns={columns}
            data={query.data?.data}
            loading={query.isPending}
            rowId={(m) => m.id}
            rowTestId="mailbox-row"
            empty={t('mailbox.empty')}
            onRowClick={(m) => navigate(`/mailbox/${m.id}`)}
          />
          <Pager pager={pager} nextCursor={query.data?.next_cursor} />
        </>
      )}
    </div>
  );
};

const Guarded = () => (
  <RequireAdmin>
    <Mailbox />
  </RequireAdmin>
);

export default Guarded;
