/** The inventory module keeps no personal data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

const STOCK = 'stock facts: SKUs, locations and quantities; references point at orders, never at people';

export const personalData: PersonalDataDeclaration = [
  { table: 'inventory_levels', notPersonal: ['location_id', 'sku'], why: STOCK },
  {
    table: 'inventory_movements',
    notPersonal: ['id', 'sku', 'location_id', 'kind', 'reason', 'reference_type', 'reference_id', 'actor'],
    why: `${STOCK}; reasons are staff notes about stock`,
  },
  {
    table: 'inventory_transfers',
    notPersonal: ['id', 'from_location_id', 'to_location_id', 'status', 'note', 'created_by'],
    why: `${STOCK}; notes are staff notes about the transfer`,
  },
  { table: 'inventory_transfer_lines', notPersonal: ['transfer_id', 'sku'], why: STOCK },
  {
    table: 'reservations',
    notPersonal: ['id', 'reference_type', 'reference_id', 'status', 'actor'],
    why: STOCK,
  },
  { table: 'reservation_lines', notPersonal: ['reservation_id', 'sku', 'location_id'], why: STOCK },
];
