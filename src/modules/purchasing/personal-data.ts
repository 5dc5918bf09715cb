/** The purchasing module keeps no customer data (see platform/personal-data.ts). */
import type { PersonalDataDeclaration } from '../../platform/personal-data.ts';

const BUYING = 'what the retailer buys from whom: SKUs, quantities, dates; created_by is a staff token id';

export const personalData: PersonalDataDeclaration = [
  {
    table: 'suppliers',
    notPersonal: ['id', 'name', 'email'],
    why: 'companies the retailer buys from; email is a business contact for orders, not a customer',
  },
  { table: 'supplier_skus', notPersonal: ['supplier_id', 'sku'], why: BUYING },
  {
    table: 'purchase_orders',
    notPersonal: ['id', 'supplier_id', 'location_id', 'status', 'expected_on', 'note', 'created_by'],
    why: `${BUYING}; notes are staff notes about the order`,
  },
  { table: 'purchase_order_lines', notPersonal: ['purchase_order_id', 'sku'], why: BUYING },
];
