/**
 * The demo catalog of "Plaza Outfitters", generated deterministically: the same products, SKUs and
 * EAN-13 barcodes on every run (so seeding twice adds nothing).
 */
import { withCheckDigit } from '../../modules/catalog/index.ts';

export interface DemoCategory {
  handle: string;
  name: string;
  parent?: string;
}

export const DEMO_CATEGORIES: DemoCategory[] = [
  { handle: 'apparel', name: 'Apparel' },
  { handle: 'tops', name: 'Tops', parent: 'apparel' },
  { handle: 'jackets', name: 'Jackets', parent: 'apparel' },
  { handle: 'pants', name: 'Pants & Shorts', parent: 'apparel' },
  { handle: 'footwear', name: 'Footwear' },
  { handle: 'outdoor-gear', name: 'Outdoor Gear' },
  { handle: 'backpacks', name: 'Backpacks', parent: 'outdoor-gear' },
  { handle: 'tents', name: 'Tents', parent: 'outdoor-gear' },
  { handle: 'sleeping', name: 'Sleeping Bags & Pads', parent: 'outdoor-gear' },
  { handle: 'accessories', name: 'Accessories' },
];

export const DEMO_COLLECTIONS = [
  { handle: 'new-arrivals', title: 'New Arrivals', description: 'Fresh in for the season.' },
  { handle: 'trail-essentials', title: 'Trail Essentials', description: 'Footwear and packs for the trail.' },
  { handle: 'winter-ready', title: 'Winter Ready', description: 'Warm layers and cold-weather gear.' },
  { handle: 'bestsellers', title: 'Bestsellers', description: 'What our customers love most.' },
];

interface Line {
  category: string;
  names: string[];
  optionNames: string[];
  sizes: string[];
  colors: number;
  /** Base price in cents (USD-like, two decimals). */
  price: number;
  weight: number;
  material: string;
  winter?: boolean;
}

const APPAREL = ['S', 'M', 'L', 'XL'];
const LINES: Line[] = [
  {
    category: 'tops',
    names: [
      'Merino Crew Tee',
      'Organic Cotton Tee',
      'Base Layer Top',
      'Flannel Shirt',
      'Fleece Pullover',
      'Hiking Shirt',
    ],
    optionNames: ['size', 'color'],
    sizes: APPAREL,
    colors: 2,
    price: 3900,
    weight: 220,
    material: 'merino wool',
  },
  {
    category: 'jackets',
    names: ['Rain Shell Jacket', 'Down Puffer Jacket', 'Softshell Jacket', 'Insulated Parka', 'Windbreaker'],
    optionNames: ['size', 'color'],
    sizes: APPAREL,
    colors: 2,
    price: 14900,
    weight: 480,
    material: 'recycled nylon',
    winter: true,
  },
  {
    category: 'pants',
    names: ['Trail Pants', 'Convertible Hiking Pants', 'Climbing Shorts', 'Fleece Joggers'],
    optionNames: ['size', 'color'],
    sizes: ['30', '32', '34', '36'],
    colors: 2,
    price: 6900,
    weight: 350,
    material: 'stretch nylon',
  },
  {
    category: 'footwear',
    names: ['Trail Runner', 'Hiking Boot', 'Approach Shoe', 'Waterproof Mid Boot', 'Camp Sandal'],
    optionNames: ['size', 'color'],
    sizes: ['7', '8', '9', '10', '11', '12'],
    colors: 1,
    price: 12900,
    weight: 900,
    material: 'suede and mesh',
  },
  {
    category: 'backpacks',
    names: ['Daypack 22L', 'Trekking Pack 45L', 'Expedition Pack 65L', 'Travel Duffel 40L'],
    optionNames: ['color'],
    sizes: [],
    colors: 2,
    price: 8900,
    weight: 1100,
    material: 'ripstop nylon',
  },
  {
    category: 'tents',
    names: ['Ultralight Tent 1P', 'Backpacking Tent 2P', 'Family Dome Tent 4P'],
    optionNames: [],
    sizes: [],
    colors: 0,
    price: 29900,
    weight: 2400,
    material: 'silnylon',
  },
  {
    category: 'sleeping',
    names: ['Down Sleeping Bag', 'Synthetic Sleeping Bag', 'Insulated Sleeping Pad'],
    optionNames: ['length'],
    sizes: ['Regular', 'Long'],
    colors: 0,
    price: 17900,
    weight: 1300,
    material: 'goose down',
    winter: true,
  },
  {
    category: 'accessories',
    names: [
      'Merino Beanie',
      'Wool Hiking Socks',
      'Touchscreen Gloves',
      'Sun Hat',
      'Neck Gaiter',
      'Trekking Poles',
    ],
    optionNames: ['color'],
    sizes: [],
    colors: 2,
    price: 2400,
    weight: 120,
    material: 'merino wool',
    winter: true,
  },
];

const SERIES = ['Summit', 'Ridge', 'Alpine', 'Canyon', 'Glacier', 'Timberline', 'Basecamp', 'Tundra'];
const COLORS = [
  ['Black', 'BLK'],
  ['Forest Green', 'GRN'],
  ['Navy', 'NVY'],
  ['Rust', 'RST'],
  ['Stone Grey', 'GRY'],
  ['Glacier Blue', 'BLU'],
] as const;

export interface DemoVariant {
  sku: string;
  barcode: string;
  options: Record<string, string>;
  weight: number;
}

export interface DemoProduct {
  index: number;
  handle: string;
  title: string;
  description: string;
  category: string;
  collections: string[];
  optionNames: string[];
  attributes: Record<string, string>;
  /** Base price in cents. */
  price: number;
  variants: DemoVariant[];
}

export const DEMO_PRODUCT_COUNT = 200;

/** The 200 demo products (≈1,000 variants), always the same. */
export const demoProducts = (): DemoProduct[] => {
  const names = LINES.flatMap((line) => line.names.map((name, n) => ({ line, name, n })));
  const out: DemoProduct[] = [];
  let barcode = 0;
  for (let s = 0; out.length < DEMO_PRODUCT_COUNT; s++) {
    for (const { line, name, n } of names) {
      if (out.length >= DEMO_PRODUCT_COUNT) break;
      const index = out.length;
      const series = SERIES[s % SERIES.length] as string;
      const title = `${series} ${name}`;
      const code = `${series.slice(0, 3).toUpperCase()}${String(LINES.indexOf(line)).padStart(2, '0')}${n}`;
      const colors = line.colors
        ? [0, 1].slice(0, line.colors).map((k) => COLORS[(index + k * 3) % COLORS.length])
        : [undefined];
      const sizes = line.sizes.length ? line.sizes : [undefined];
      const variants: DemoVariant[] = [];
      for (const color of colors) {
        for (const size of sizes) {
          const options: Record<string, string> = {};
          if (size) options[line.optionNames[0] as string] = size;
          if (color) options.color = color[0];
          const parts = [code, color?.[1], size?.toUpperCase()].filter(Boolean);
          variants.push({
            sku: parts.join('-'),
            barcode: withCheckDigit(`200${String(++barcode).padStart(9, '0')}`),
            options,
            weight: line.weight,
          });
        }
      }
      const collections = [
        ...(index % 7 === 0 ? ['new-arrivals'] : []),
        ...(line.category === 'footwear' || line.category === 'backpacks' ? ['trail-essentials'] : []),
        ...(line.winter ? ['winter-ready'] : []),
        ...(index % 11 === 0 ? ['bestsellers'] : []),
      ];
      out.push({
        index,
        handle: title
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, ''),
        title,
        description: `The ${title} from Plaza Outfitters: ${line.material}, built for long days outdoors.`,
        category: line.category,
        collections,
        optionNames: line.optionNames,
        attributes: { material: line.material, brand: 'Plaza Outfitters', series },
        price: line.price + (s % 4) * 1000,
        variants,
      });
    }
  }
  return out;
};
