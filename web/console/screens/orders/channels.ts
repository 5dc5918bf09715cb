/** The channels, for names and the channel filter (owners and managers; staff users are refused and see ids). */
import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../../kit/api.ts';
import { staffApi } from '../../../kit/session.tsx';

export const useChannels = () =>
  useQuery({
    queryKey: ['channels', 'all'],
    queryFn: () => unwrap(staffApi.GET('/admin/channels', { params: { query: { limit: 200 } } })),
    staleTime: 60_000,
  });

/** A channel's name; the id while loading; nothing for users who may not read channels (staff). */
export const useChannelName = (): ((id: string) => string) => {
  const q = useChannels();
  return (id) => (q.isError ? '' : (q.data?.data.find((c) => c.id === id)?.name ?? id));
};
