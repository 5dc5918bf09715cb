/**
 * Message templates (docs/campaigns.md, "Templates and personalisation"): Liquid with auto-escaping
 * for e-mail HTML, strict variables and filters, checked statically before a campaign is saved or
 * scheduled; recipient contexts with profile, traits, computed traits, the preferred store and the
 * campaign's products in stock there; rendering per medium (e-mail: responsive layout and text part).
 */
import type { Medium } from '../../modules/messaging/types.ts';
import type { Queryable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { checkAll, templateInvalid } from './templates-check.ts';
import { buildContexts } from './templates-context.ts';
import { renderMedium } from './templates-render.ts';

export { templateInvalid };

/** Template fields of one medium: email {subject, preheader?, html, text}; sms {text}; push/web_push {title, body, url};
 * banner/in_app {slot, title, body, image_url, url}; pos {title, body}; print {title, body}. */
export type MediumContent = Partial<
  Record<'subject' | 'preheader' | 'html' | 'text' | 'title' | 'body' | 'url' | 'image_url' | 'slot', string>
>;
export type Content = Partial<Record<Medium, MediumContent>>;

export interface TemplateProblem {
  medium: string;
  field: string;
  message: string;
  line?: number;
  column?: number;
}

/** What a template can use; documented in docs/campaigns.md ("Templates"). */
export interface RecipientContext {
  customer: {
    id: string;
    first_name: string | null;
    last_name: string | null;
    email: string | null;
    locale: string | null;
    traits: Record<string, unknown>;
    computed: Record<string, unknown>;
  };
  store: { id: string; name: string; city: string | null } | null;
  /** the campaign's products, each with its availability at the recipient's store */
  products: {
    id: string;
    title: string;
    price: string;
    url: string;
    image_url: string | null;
    in_stock_at_store: boolean;
    available_at_store: number;
  }[];
  offer: { code: string; description: string } | null;
  campaign: { id: string; name: string } | null;
  links: { unsubscribe: string | null; shop: string };
}

/**
 * Compiles every field of every medium and checks each variable path against the recipient context,
 * each filter, and the fields each medium needs. An empty list: the content is valid.
 * `opts.variables`: more top-level variables the caller adds to the context at render time, taken
 * as free-form (a journey's `data`).
 */
export const checkContent = (
  content: Content,
  opts: { variables?: readonly string[] } = {},
): TemplateProblem[] => checkAll(content, opts.variables);

/** Throws TEMPLATE_INVALID when the content has any problem. */
export const assertContent = (content: Content): void => {
  const problems = checkContent(content);
  if (problems.length) throw templateInvalid(problems);
};

/**
 * Contexts for many recipients at once (one query per kind of data; customers that do not exist are
 * absent). `links.unsubscribe` and `offer` are null: the sender fills them per send.
 */
export const recipientContexts = async (
  q: Queryable,
  deps: Deps,
  customerIds: readonly string[],
  opts: {
    productIds: readonly string[];
    campaign?: { id: string; name: string } | null;
    /** the channel whose prices the products show (default: the first web channel) */
    channelId?: string;
  },
): Promise<Map<string, RecipientContext>> => buildContexts(q, deps, customerIds, opts);

export interface RenderedMessage {
  subject?: string;
  html?: string;
  text: string;
  title?: string;
  url?: string;
  image_url?: string;
}

/**
 * Renders one medium's content for one recipient (e-mail: responsive HTML plus a text part; the
 * html field escapes every output, the other fields are plain text). Throws TEMPLATE_INVALID.
 */
export const renderContent = async (
  medium: Medium,
  content: MediumContent,
  ctx: RecipientContext,
): Promise<RenderedMessage> => renderMedium(medium, content, ctx);
