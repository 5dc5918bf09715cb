/**
 * Every sentence the strategy model can emit (a closed set of message keys with English templates),
 * the labels its parameters refer to, and `phrase()` that fills a template.
 *
 * Parameter conventions (the console follows the same when it translates a key):
 * - `strategy`, `other`, `becomes`: a strategy code (label `strategy.<code>`);
 * - `factor`: a factor key (label `factor.<key>`, else the key); `input`, `measure`: an answer field or
 *   a measure key (label `input.<name>`);
 * - `value`, `current`, `flips_at`, `frequency`: a number, or codes joined by ", " (labels `value.<code>`);
 *   a number is money in minor units when the phrase also has `unit: 'minor'` and a `currency`;
 * - `amount`: money in minor units of `currency`; `scope`: channel codes (`channel.<code>`), `media`:
 *   medium codes (`medium.<code>`), both joined by ", ";
 * - `percent`, `points`, … : plain numbers (percentages already × 100).
 */
import type { Phrase } from '../result-schema.ts';

const LABELS = {
  'strategy.omnichannel': 'omnichannel',
  'strategy.multichannel': 'multichannel',
  'strategy.hybrid': 'a hybrid',

  'channel.web': 'web',
  'channel.stores': 'stores',
  'channel.app': 'app',
  'channel.marketplaces': 'marketplaces',
  'medium.brochure': 'brochures',
  'medium.email': 'e-mail',
  'medium.sms': 'SMS',
  'medium.push': 'push notifications',
  'medium.ads': 'online ads',
  'medium.banner': 'web banners',
  'medium.in_app': 'in-app messages',
  'medium.pos': 'offers at the till',

  'input.commerce_type': 'type of commerce',
  'input.category': 'product category',
  'input.purchase_frequency': 'purchase frequency',
  'input.store_count': 'number of stores',
  'input.store_roles': 'store roles',
  'input.goals': 'goals',
  'input.competitive_pressure': 'competitive pressure',
  'input.years_in_business': 'years in business',
  'input.team_size': 'team size',
  'input.it_maturity': 'IT maturity',
  'input.personalisation_priority': 'priority on personal communication and per-customer measurement',
  'input.budget_per_year': 'budget per year',
  'input.currency': 'currency',
  'input.gross_margin_rate': 'gross margin',
  'input.fiscal_year_start': 'fiscal year start',
  'input.repeat_purchase_rate': 'repeat-purchase rate',
  'input.multichannel_customer_share': 'share of customers buying on two or more channels',
  'input.multichannel_value_ratio': 'value of multichannel customers relative to single-channel ones',
  'input.loyalty_membership_rate': 'loyalty membership rate',
  'input.loyalty_active_rate': 'share of active loyalty members',
  'input.annual_sales': 'annual sales',
  'input.sales_trend': 'sales trend',
  'input.click_collect_share': 'click & collect share',
  'input.pickup_distance_km': 'pickup distance (km)',
  'input.cross_device_cart_share': 'cross-device cart continuation',
  'input.media_response_rate': 'response rate of the media',
  'input.media_roi': 'return on media spend',
  'input.stock_spread': 'share of stock at pickup locations',
  'input.forecast_accuracy': 'forecast error relative to seasonal naive',

  'factor.commerce_type': 'type of commerce',
  'factor.category': 'product category',
  'factor.purchase_frequency': 'purchase frequency',
  'factor.store_count': 'number of stores',
  'factor.store_roles': 'store roles',
  'factor.goals': 'goals',
  'factor.competitive_pressure': 'competitive pressure',
  'factor.years_in_business': 'years in business',
  'factor.team_size': 'team size',
  'factor.it_maturity': 'IT maturity',
  'factor.personalisation_priority': 'priority on personal communication',
  'factor.budget_share': 'budget relative to annual sales',
  'factor.repeat_purchase_rate': 'repeat-purchase rate',
  'factor.multichannel_customer_share': 'multichannel customers',
  'factor.multichannel_value_ratio': 'value of multichannel customers',
  'factor.loyalty_membership_rate': 'loyalty membership',
  'factor.loyalty_active_rate': 'active loyalty members',
  'factor.annual_sales': 'sales level',
  'factor.sales_trend': 'sales trend',
  'factor.click_collect_share': 'click & collect share',
  'factor.pickup_distance_km': 'pickup distance',
  'factor.cross_device_cart_share': 'cross-device carts',
  'factor.media_response_rate': 'media response',
  'factor.media_roi': 'media return',
  'factor.stock_spread': 'stock at pickup locations',
  'factor.forecast_accuracy': 'forecast error',

  'value.b2c': 'B2C',
  'value.b2b': 'B2B',
  'value.d2c_brand': 'D2C brand',
  'value.marketplace_seller': 'marketplace seller',
  'value.reseller': 'reseller',
  'value.fashion': 'fashion',
  'value.electronics': 'electronics',
  'value.grocery': 'grocery',
  'value.home': 'home',
  'value.beauty': 'beauty',
  'value.sports': 'sports',
  'value.books_media': 'books and media',
  'value.other': 'other',
  'value.weekly': 'weekly',
  'value.monthly': 'monthly',
  'value.quarterly': 'quarterly',
  'value.yearly': 'yearly',
  'value.rarely': 'rarely',
  'value.sales': 'sales',
  'value.showroom': 'showroom',
  'value.pickup_point': 'pickup point',
  'value.ship_from_store': 'ship from store',
  'value.service': 'service',
  'value.reach_new': 'reach new customers',
  'value.retain': 'retain customers',
  'value.raise_margin': 'raise the margin',
  'value.new_regions': 'enter new regions',
  'value.low': 'low',
  'value.medium': 'medium',
  'value.high': 'high',
  'value.none': 'none',
} as const;

const MESSAGES = {
  'name.omnichannel': 'omnichannel across {scope}',
  'name.multichannel': 'multichannel reach through {media}',
  'name.hybrid': 'omnichannel for {scope}, multichannel reach through {media}',

  'contribution.leans': '{factor} ({value}) leans toward {strategy}: {points} points ahead of {other}.',
  'contribution.thin':
    '{factor} ({value}) leans toward {strategy}: {points} points ahead of {other}, counted at {percent} % because it rests on {sample} observations.',
  'contribution.neutral': '{factor} ({value}) does not lean toward any strategy.',
  'contribution.missing': '{factor}: no data yet, so it does not count.',

  'sensitivity.flip':
    'If {input} were {flips_at} instead of {current}, the recommendation would become {becomes}.',

  'warning.measure_missing':
    "{measure}: no data yet. It does not count; the answers carry the decision and the projections' ranges are wider.",
  'warning.measure_thin':
    "{measure}: only {sample} observations, so it counts at {percent} % of its weight and the projections' ranges are wider.",
  'warning.low_confidence':
    'Confidence is {percent} %: measure more before a change that cannot be undone in the coming fiscal year.',
  'warning.close_call':
    '{strategy} and {other} are within {points} points: a hybrid keeps both open, and it can be switched later.',
  'warning.no_revenue':
    'Neither annual sales nor a budget per year are known, so the projections start from zero revenue.',

  'assumption.revenue_measured': 'Annual revenue {amount} is the measured annual sales.',
  'assumption.revenue_estimated':
    'Annual revenue {amount} is estimated: the budget per year divided by a typical marketing share of {percent} % of sales.',
  'assumption.retention_measured': 'Retention {percent} % is the measured repeat-purchase rate.',
  'assumption.retention_blended':
    'Retention {percent} % blends the measured repeat-purchase rate ({measured} %, {sample} customers) with the typical {typical} % for {frequency} purchases.',
  'assumption.retention_typical':
    'Retention {percent} % is the typical rate for {frequency} purchases; the repeat-purchase rate is not measured.',
  'assumption.customers_measured': '{customers} customers: those behind the measured repeat-purchase rate.',
  'assumption.customers_estimated':
    '{customers} customers, estimated from revenue and a typical yearly spend of {amount} per customer for {frequency} purchases.',
  'assumption.clv':
    'Lifetime value = yearly revenue per customer × gross margin ({margin} %) × retention / (1 + {discount} % − retention).',
  'assumption.trend':
    'Revenue also follows the measured sales trend: {percent} % a year (the last 90 days over the 90 before, within ±{cap} %).',
  'assumption.ranges':
    "Each range is the strategy's assumed effect from low to high, widened by {percent} % because confidence is {confidence} %.",
  'assumption.fiscal_year': 'Fiscal year 1 starts on {date}; the budget is held at {amount} a year.',

  'action.enable_click_collect.title': 'Enable click & collect at the stores nearest most online buyers',
  'action.enable_click_collect.why':
    'Click & collect makes web and stores one customer, one cart and one stock: the buyer orders online and collects in a store, which saves delivery and brings store visits.',
  'action.enable_click_collect.effect':
    'More online orders collected in store and lower fulfilment costs: the projections assume {fulfilment} % of revenue for fulfilment under {strategy} against {fulfilment_other} % under {other}.',
  'action.enable_click_collect.measured_by':
    'The click & collect share and the pickup distance in the next monthly assessments.',
  'action.live_cart_sync.title': 'Carry one cart across devices: invite shoppers to log in on every channel',
  'action.live_cart_sync.why':
    'A cart started on the phone and finished on the laptop or in the store is one cart: the first omnichannel promise a customer notices.',
  'action.live_cart_sync.effect':
    'More carts finished on another device and fewer abandoned, part of the {growth} % yearly revenue growth assumed for {strategy}.',
  'action.live_cart_sync.measured_by':
    'The cross-device cart continuation share in the next monthly assessments.',
  'action.loyalty_at_pos.title': 'Let customers earn loyalty points at the till',
  'action.loyalty_at_pos.why':
    'Points earned in store and online on one account make one customer history, and make store buyers known.',
  'action.loyalty_at_pos.effect':
    'More members and more active members; retention {points} points higher by the second year, as assumed for {strategy}.',
  'action.loyalty_at_pos.measured_by':
    'Loyalty membership and the share of active members in the next monthly assessments.',
  'action.brochure_campaign.title':
    "Start a brochure campaign with QR codes in a store's area, with a {holdout} % holdout",
  'action.brochure_campaign.why':
    'Brochures reach people no screen reaches; a QR code on each and a holdout that gets none measure what they really bring.',
  'action.brochure_campaign.effect':
    "New customers in the store's area; the holdout shows the sales the brochure caused, not the ones that would have come anyway.",
  'action.brochure_campaign.measured_by':
    "The campaign's response and return against its holdout, and the media's response and return per medium.",
  'action.email_newsletter.title': 'Send an e-mail newsletter with a {holdout} % holdout',
  'action.email_newsletter.why':
    "E-mail is the cheapest medium for personal communication, and it measures each customer's response.",
  'action.email_newsletter.effect':
    'Repeat purchases from the customers who open it; the holdout shows the difference.',
  'action.email_newsletter.measured_by':
    "E-mail's response and return against the holdout, and the repeat-purchase rate.",
  'action.win_back_journey.title': 'Start a win-back journey for lapsed single-channel customers',
  'action.win_back_journey.why':
    'Customers who bought on one channel only and stopped are the cheapest to bring back, and bringing them back on a second channel makes them worth more.',
  'action.win_back_journey.effect':
    'Lapsed customers back, some of them on a second channel; retention {points} points higher by the second year, as assumed for {strategy}.',
  'action.win_back_journey.measured_by':
    'The repeat-purchase rate and the share of multichannel customers in the next monthly assessments.',
  'action.multichannel_segment.title': 'Build a segment of multichannel customers',
  'action.multichannel_segment.why':
    'Measuring each customer is what multichannel does best: a segment of the customers buying on two or more channels shows who they are and what they are worth.',
  'action.multichannel_segment.effect':
    'A live count of multichannel customers to target, and to compare with single-channel ones.',
  'action.multichannel_segment.measured_by':
    "The segment's size, and the value of multichannel customers relative to single-channel ones.",
  'action.review_replenishment.title': 'Review the replenishment suggestions to put stock where it sells',
  'action.review_replenishment.why':
    'One stock across channels only helps when the stock sits at the locations that serve the orders, and the forecasts behind it hold.',
  'action.review_replenishment.effect':
    'More items ready for pickup without a transfer and lower stock carrying costs ({stock} % of revenue assumed under {strategy}).',
  'action.review_replenishment.measured_by':
    'The share of stock at pickup locations and the forecast error in the next monthly assessments.',

  // Against the previous assessment (src/flows/strategy/service.ts)
  'change.toward_omnichannel':
    '{factor} moved {points} points toward omnichannel since the previous assessment.',
  'change.toward_multichannel':
    '{factor} moved {points} points toward multichannel since the previous assessment.',
} as const;

/** Every key the model can emit or refer to, with its English template (the console translates them). */
export const PHRASES: Readonly<Record<string, string>> = Object.freeze({ ...LABELS, ...MESSAGES });
export type PhraseKey = keyof typeof LABELS | keyof typeof MESSAGES;
export type MessageKey = keyof typeof MESSAGES;
export type Params = Phrase['params'];

const isLabel = (k: string): k is keyof typeof LABELS => Object.hasOwn(LABELS, k);
export const isMessageKey = (k: string): k is MessageKey => Object.hasOwn(MESSAGES, k);
/** The English label of `prefix.code`, else the code itself. */
export const label = (prefix: string, code: string): string => {
  const k = `${prefix}.${code}`;
  return isLabel(k) ? LABELS[k] : code;
};

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

/** Digits of a currency's minor unit (2 for EUR, 0 for KRW and JPY; 2 for a code Intl does not know). */
export const minorDigits = (currency: string): number => {
  const known = DIGITS.get(currency);
  if (known !== undefined) return known;
  let digits = 2;
  try {
    digits =
      new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
  } catch {
    digits = 2;
  }
  DIGITS.set(currency, digits);
  return digits;
};
const DIGITS = new Map<string, number>();

/** Money in minor units as major units with the currency code ("1,250.00 EUR"). */
export const formatMoney = (minor: number, currency: string): string => {
  const digits = minorDigits(currency);
  const major = minor / 10 ** digits;
  return `${major.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${currency}`;
};

const LIST_PREFIX: Record<string, string> = {
  value: 'value',
  current: 'value',
  flips_at: 'value',
  frequency: 'value',
  scope: 'channel',
  media: 'medium',
};
const CODE_PREFIX: Record<string, string> = {
  strategy: 'strategy',
  other: 'strategy',
  becomes: 'strategy',
  factor: 'factor',
  input: 'input',
  measure: 'input',
};
const MONEY_PARAMS = new Set(['amount', 'value', 'current', 'flips_at']);

/** "a", "a and b", "a, b and c" */
const andList = (xs: readonly string[]): string =>
  xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;

const render = (name: string, v: string | number, params: Params): string => {
  const currency = typeof params.currency === 'string' ? params.currency : null;
  if (typeof v === 'number') {
    const money = currency && MONEY_PARAMS.has(name) && (name === 'amount' || params.unit === 'minor');
    return money ? formatMoney(v, currency) : NUMBER.format(v);
  }
  const code = CODE_PREFIX[name];
  if (code) return code === 'factor' ? label('factor', v) : label(code, v);
  const list = LIST_PREFIX[name];
  if (!list) return v;
  const parts = v === '' ? [] : v.split(', ').map((c) => label(list, c));
  if (name === 'scope') return parts.join(' + ');
  if (name === 'media') return andList(parts);
  return parts.length === 0 ? label('value', 'none') : parts.join(', ');
};

/** A message with its parameters and its English text (a placeholder without a parameter stays visible). */
export const phrase = (key: MessageKey, params: Params = {}): Phrase => ({
  key,
  params,
  text: MESSAGES[key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : render(name, v, params);
  }),
});

/** A ratio as a percentage with one decimal (0.4234 → 42.3). */
export const pct = (ratio: number): number => Math.round(ratio * 1000) / 10;

/** Rounded for output (4 decimals), never -0. */
export const round4 = (x: number): number => {
  const r = Math.round(x * 10_000) / 10_000;
  return r === 0 ? 0 : r;
};
