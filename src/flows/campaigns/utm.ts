/**
 * UTM links (docs/campaigns.md, "Advertising audiences and UTM links"): an ad's link carries
 * utm_source, utm_medium and utm_campaign (the campaign's id), so a click that lands on the shop
 * reaches the event stream through analytics.js, which copies them into `context.campaign`
 * (`utm_campaign` → `context.campaign.name`, the others by their name without `utm_`).
 */
import type { Queryable } from '../../platform/db.ts';
import { validation } from '../../platform/errors.ts';

export interface UtmParams {
  source: string;
  medium: string;
  campaign: string;
  content?: string | null;
  term?: string | null;
}

/** A campaign's `utm` setting: tracked links of its messages get these (defaults in brackets). */
export interface CampaignUtm {
  /** [plaza] */
  source?: string;
  /** [the medium of the send: email, sms …] */
  medium?: string;
  /** [the campaign id] */
  campaign?: string;
  /** [none] */
  content?: string;
  /** [none] */
  term?: string;
}

const httpUrl = (raw: string, path: string): URL => {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw validation('The URL is not valid', [{ path, message: 'must be an absolute http(s) URL' }]);
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) {
    throw validation('The URL is not valid', [{ path, message: 'must be an absolute http(s) URL' }]);
  }
  return u;
};

/** The URL with the UTM parameters set (existing utm_* values replaced). Throws VALIDATION_FAILED for a non-http(s) URL. */
export const buildUtmUrl = (url: string, p: UtmParams): string => {
  const u = httpUrl(url, 'body.url');
  u.searchParams.set('utm_source', p.source);
  u.searchParams.set('utm_medium', p.medium);
  u.searchParams.set('utm_campaign', p.campaign);
  if (p.content) u.searchParams.set('utm_content', p.content);
  else u.searchParams.delete('utm_content');
  if (p.term) u.searchParams.set('utm_term', p.term);
  else u.searchParams.delete('utm_term');
  return u.toString();
};

/** Adds the UTM parameters the URL does not have yet (never replaces one). */
export const addMissingUtm = (url: string, p: UtmParams): string => {
  const u = new URL(url);
  for (const [k, v] of [
    ['utm_source', p.source],
    ['utm_medium', p.medium],
    ['utm_campaign', p.campaign],
    ['utm_content', p.content],
    ['utm_term', p.term],
  ] as const) {
    if (v && !u.searchParams.has(k)) u.searchParams.set(k, v);
  }
  return u.toString();
};

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** The campaign's `utm` setting, or null when it has none (its links are then left as they are). */
export const campaignUtm = async (q: Queryable, campaignId: string): Promise<CampaignUtm | null> => {
  const r = await q.query<{ utm: unknown }>('SELECT utm FROM campaigns WHERE id = $1', [campaignId]);
  const utm = r.rows[0]?.utm;
  if (!utm || typeof utm !== 'object' || Array.isArray(utm)) return null;
  const o = utm as Record<string, unknown>;
  return {
    source: text(o.source),
    medium: text(o.medium),
    campaign: text(o.campaign),
    content: text(o.content),
    term: text(o.term),
  };
};

/**
 * The link a tracked click redirects to: with the campaign's UTM parameters added when the campaign
 * has a `utm` setting and the link lacks them; otherwise the link as it was signed.
 */
export const withCampaignUtm = async (
  q: Queryable,
  url: string,
  send: { campaign_id: string | null; medium: string },
): Promise<string> => {
  if (!send.campaign_id) return url;
  const utm = await campaignUtm(q, send.campaign_id);
  if (!utm) return url;
  return addMissingUtm(url, {
    source: utm.source ?? 'plaza',
    medium: utm.medium ?? send.medium,
    campaign: utm.campaign ?? send.campaign_id,
    content: utm.content,
    term: utm.term,
  });
};
