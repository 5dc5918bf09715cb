/** Channels area: types from the generated client and query keys. */
import type { components, paths } from '@plaza/client';

export type Channel = components['schemas']['Channel'];
export type ChannelType = Channel['type'];
export type ChannelSettings = components['schemas']['ChannelSettings'];
export type ChannelKey =
  paths['/admin/channels/{id}/keys']['get']['responses'][200]['content']['application/json']['data'][number];
export type CreateChannelBody =
  paths['/admin/channels']['post']['requestBody']['content']['application/json'];

export const CHANNEL_TYPES: readonly ChannelType[] = [
  'web',
  'app',
  'pos',
  'kiosk',
  'marketplace',
  'social',
  'call_center',
];
export const MERGE_STRATEGIES: readonly ChannelSettings['cart_merge_strategy'][] = [
  'merge',
  'keep_customer',
  'keep_latest',
];

export const channelKeys = {
  list: (p: Record<string, string | undefined>) => ['channels', 'list', p] as const,
  one: (id: string) => ['channels', id] as const,
  part: (id: string, part: string) => ['channels', id, part] as const,
};
