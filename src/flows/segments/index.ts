/**
 * Audiences (issue 11): computed traits and live segments over traits, events, orders, channels,
 * loyalty, consent, geography, carts and stock-out risks. See docs/segments.md.
 */
import type { PlazaModule } from '../../platform/module.ts';
import { audienceJobs, audienceSubscriber } from './jobs.ts';
import { computedTraitRoutes } from './routes-computed.ts';
import { segmentRoutes } from './routes-segments.ts';

export { traitDefault } from './computed-traits.ts';
export { markAudienceDirty } from './jobs.ts';
export { type Evaluation, evaluateSegment } from './membership.ts';
export { personalData } from './personal-data.ts';

export const segmentsFlow: PlazaModule = {
  name: 'segments',
  tags: [{ name: 'segments', description: 'Computed traits and live segments (docs/segments.md).' }],
  adminRoutes: (app, deps) => {
    computedTraitRoutes(app, deps);
    segmentRoutes(app, deps);
  },
  subscribers: (deps) => [audienceSubscriber(deps)],
  jobs: (deps) => audienceJobs(deps),
};
