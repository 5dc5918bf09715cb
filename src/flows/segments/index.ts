/**
 * Audiences (issue 11): computed traits and live segments over traits, events, orders, channels,
 * loyalty, consent, geography and carts. See docs/segments.md.
 */
import type { PlazaModule } from '../../platform/module.ts';

export { personalData } from './personal-data.ts';

export const segmentsFlow: PlazaModule = {
  name: 'segments',
  tags: [{ name: 'segments', description: 'Computed traits and live segments (docs/segments.md).' }],
};
