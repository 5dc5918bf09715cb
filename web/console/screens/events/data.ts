/** Event sources area: types from the generated client, query keys, and the choices of the forms. */
import type { paths } from '@plaza/client';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;

export type SourceList = Json<paths['/admin/event-sources']['get']['responses'][200]>;
export type Source = SourceList['data'][number];
export type SourceBody = NonNullable<
  paths['/admin/event-sources']['post']['requestBody']
>['content']['application/json'];
export type WriteKey = Source['write_keys'][number];
export type Debugger = Json<paths['/admin/event-sources/{id}/debugger']['get']['responses'][200]>;

export const KINDS = ['web', 'app', 'pos', 'server'] as const;
export const RETENTIONS = [0, 1, 3, 6, 12, 24, 36] as const;

export const sourceKeys = {
  all: ['event-sources'] as const,
  list: (archived: boolean) => ['event-sources', 'list', archived] as const,
  one: (id: string) => ['event-sources', id] as const,
  debugger: (id: string) => ['event-sources', id, 'debugger'] as const,
};
