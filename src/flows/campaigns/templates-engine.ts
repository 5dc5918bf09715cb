/**
 * The Liquid engines of message templates (docs/campaigns.md, "Templates and personalisation"): one
 * that escapes every output for HTML fields (e-mail html) and one that does not for text fields
 * (subjects, SMS, push, banners, print). Both refuse unknown variables and filters, read no files
 * (`include`, `render` and `layout` are not tags here) and bound the time and memory of a render.
 * Parsed templates are cached by their source: a campaign renders the same template for every recipient.
 */
import { Liquid, Tag, type Template } from 'liquidjs';
import { formatMoney, isCurrency } from '../../platform/money.ts';

export type Flavour = 'html' | 'text';

/** The filter Plaza adds to Liquid's standard filters. */
export const PLAZA_FILTERS = ['money'] as const;

/** Tags that read other templates from files: refused when a template is parsed. */
const FILE_TAGS = ['include', 'render', 'layout'] as const;

/** `{{ 1999 | money: "EUR" }}` → "€19.99"; `{{ 1999 | money: "EUR", "fr" }}` → "19,99 €". */
const money = (amount: unknown, currency: unknown, locale: unknown): string => {
  const n = typeof amount === 'string' && amount.trim() !== '' ? Number(amount) : amount;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new Error('money: the amount must be an integer number of minor units (cents)');
  }
  if (typeof currency !== 'string' || !isCurrency(currency)) {
    throw new Error('money: give an ISO 4217 currency, e.g. money: "EUR"');
  }
  const loc =
    typeof locale === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale) ? locale : 'en';
  return formatMoney(n, currency, loc);
};

const makeEngine = (flavour: Flavour): Liquid => {
  const engine = new Liquid({
    strictVariables: true,
    strictFilters: true,
    // `{% if customer.traits.vip %}` and `| default:` work for a trait a customer does not have
    lenientIf: true,
    ownPropertyOnly: true,
    // lookups of partials go to this empty map, never to the file system
    templates: {},
    parseLimit: 200_000,
    renderLimit: 1_000,
    memoryLimit: 20_000_000,
    ...(flavour === 'html' ? { outputEscape: 'escape' as const } : {}),
  });
  for (const name of FILE_TAGS) {
    engine.registerTag(
      name,
      class extends Tag {
        constructor(...args: ConstructorParameters<typeof Tag>) {
          super(...args);
          throw new Error(`the ${name} tag is not available in messages`);
        }
        render(): void {}
      },
    );
  }
  engine.registerFilter('money', money);
  return engine;
};

const engines: Record<Flavour, Liquid> = { html: makeEngine('html'), text: makeEngine('text') };

/** The names of every filter a template may use (Liquid's standard ones and Plaza's). */
export const filterNames = (): string[] => Object.keys(engines.text.filters).sort();

const CACHE_SIZE = 500;
const caches: Record<Flavour, Map<string, Template[]>> = { html: new Map(), text: new Map() };

/** Parses a template, or returns the cached parse of the same source (least recently used dropped). */
export const parseTemplate = (flavour: Flavour, source: string): Template[] => {
  const cache = caches[flavour];
  const hit = cache.get(source);
  if (hit) {
    cache.delete(source);
    cache.set(source, hit);
    return hit;
  }
  const parsed = engines[flavour].parse(source);
  cache.set(source, parsed);
  if (cache.size > CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return parsed;
};

/** Renders a parsed template with this scope (a recipient context). */
export const renderTemplate = async (flavour: Flavour, tpl: Template[], scope: object): Promise<string> =>
  // no tag or filter here is asynchronous (no partial is ever read): the synchronous renderer does
  // the same work without a promise per node
  String(engines[flavour].renderSync(tpl, scope));

/** The engine, for static analysis. */
export const engineOf = (flavour: Flavour): Liquid => engines[flavour];

/** A Liquid error's message without its position, and the position (1-based line and column). */
export const describeLiquidError = (e: unknown): { message: string; line?: number; column?: number } => {
  const raw = e instanceof Error ? e.message : String(e);
  const m = /^([\s\S]*?), line:(\d+), col:(\d+)$/.exec(raw.split('\n')[0] ?? raw);
  if (!m) return { message: raw.split('\n')[0] ?? raw };
  return { message: m[1] ?? raw, line: Number(m[2]), column: Number(m[3]) };
};
