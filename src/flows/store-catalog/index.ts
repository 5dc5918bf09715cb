/** The shopper-facing catalog: listing, search and product pages for the calling channel. */
import type { PlazaModule } from '../../platform/module.ts';
import { storeCatalogRoutes } from './routes.ts';
import { storeTaxonomyRoutes } from './routes-taxonomy.ts';

export { productAvailability, productForChannel } from './detail.ts';
export { listProducts } from './listing.ts';

export const storeCatalogFlow: PlazaModule = {
  name: 'store-catalog',
  tags: [{ name: 'store: catalog', description: 'What a channel sells, at its prices, with availability' }],
  storeRoutes(app, deps) {
    storeCatalogRoutes(app, deps);
    storeTaxonomyRoutes(app, deps);
  },
};
