/**
 * Events (issue 11): sources and write keys, the Segment-compatible tracking API under /v1, the
 * append-only event store (partitioned by month and retention) and the debugger's view of it.
 * See docs/events.md.
 */
import type { PlazaModule } from '../../platform/module.ts';
import { eventPartitionsJob, eventRetentionJob } from './jobs.ts';
import { eventSourceRoutes } from './routes-admin.ts';
import { trackingRoutes } from './tracking/routes.ts';

export { personalData } from './personal-data.ts';
export {
  ensureChannelWriteKey,
  PLAZA_SOURCE_ID,
  WRITE_KEY_PATTERN,
  type WriteKeySource,
  writeKeyResolver,
} from './sources.ts';
export { shopWriteKeyResolver } from './sources-shop.ts';
export { type EventInput, insertEvents } from './store.ts';

export const eventsModule: PlazaModule = {
  name: 'events',
  tags: [
    {
      name: 'event sources',
      description: 'Event sources, their write keys and the live event debugger (docs/event-sources.md).',
    },
    {
      name: 'tracking',
      description:
        "Segment-compatible HTTP Tracking API (identify, track, page, screen, group, alias, batch) authenticated by a source's write key (docs/events.md).",
    },
  ],
  rootRoutes: trackingRoutes,
  adminRoutes: eventSourceRoutes,
  jobs: (deps) => [eventPartitionsJob(deps), eventRetentionJob(deps)],
};
