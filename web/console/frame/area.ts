/**
 * A console area (catalog, orders, customers …) is one folder under screens/ with an `area.tsx`
 * exporting `area` and an `i18n/{en,ar,ko}.json`. The console finds them at build time: adding a
 * screen to the console means adding a folder, nothing else.
 */
import type { RouteObject } from 'react-router';

export type Role = 'owner' | 'manager' | 'staff';

export interface ConsoleArea {
  /** The folder name; also the i18n key prefix of the area's messages (`catalog.title`). */
  id: string;
  /** Position in the navigation (smaller first). */
  order: number;
  /** Navigation entries; `label` is an i18n key. Hidden for roles not listed (all roles when absent). */
  nav: { to: string; label: string; roles?: Role[]; end?: boolean }[];
  /** Routes under /console (elements should be lazy so each screen is its own chunk). */
  routes: RouteObject[];
}
