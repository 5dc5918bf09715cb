/**
 * The sender's rendering step: per claimed batch, the content of each send (a campaign's variant, or
 * the payload of a journey or transactional send), the recipients' contexts (one query per kind of
 * data), offer codes, the unsubscribe link of marketing e-mail, and tracked links. A template that
 * fails to render is a recorded skip (`template_error`), never a crash.
 */
import type { SendRow, SkipReason } from '../../modules/messaging/index.ts';
import type { OutgoingMessage, SentMedium } from '../../modules/messaging/types.ts';
import { isDatabaseUnavailable } from '../../platform/db.ts';
import type { Deps } from '../../platform/module.ts';
import { instrument, unsubscribeUrls } from './links.ts';
import { offerCodesFor } from './offers.ts';
import { type MediumContent, type RecipientContext, recipientContexts, renderContent } from './templates.ts';

export interface Prepared {
  send: SendRow;
  message: OutgoingMessage;
}

interface CampaignContent {
  id: string;
  name: string;
  variants: { key: string; content: Record<string, MediumContent | undefined> }[];
  winner_variant: string | null;
  offer: { discount_id: string; description?: string } | null;
  product_ids: string[];
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 50) : [];

/** The content of a send for its medium, and the variant it was rendered from. */
const contentOf = (
  s: SendRow,
  c: CampaignContent | undefined,
): { content?: MediumContent; variant: string | null } => {
  if (!s.campaign_id) return { content: s.payload?.content?.[s.medium], variant: s.variant };
  if (!c) return { variant: s.variant };
  const key = s.variant ?? c.winner_variant ?? c.variants[0]?.key ?? null;
  const v = c.variants.find((x) => x.key === key);
  return { content: v?.content?.[s.medium], variant: key };
};

type Failed = Map<SkipReason, { send: SendRow; error: string }[]>;

const fail = (failed: Failed, reason: SkipReason, send: SendRow, error: string) =>
  failed.set(reason, [...(failed.get(reason) ?? []), { send, error }]);

/** Renders a batch of gated sends into provider messages; what cannot be rendered is returned as failed. */
export const prepareMessages = async (
  deps: Deps,
  sends: readonly SendRow[],
): Promise<{ ready: Prepared[]; failed: Failed }> => {
  const ready: Prepared[] = [];
  const failed: Failed = new Map();
  if (sends.length === 0) return { ready, failed };
  const campaignIds = [...new Set(sends.flatMap((s) => (s.campaign_id ? [s.campaign_id] : [])))];
  const campaigns = new Map(
    (campaignIds.length
      ? await deps.db.query<CampaignContent>(
          'SELECT id, name, variants, winner_variant, offer, product_ids FROM campaigns WHERE id = ANY($1)',
          [campaignIds],
        )
      : { rows: [] as CampaignContent[] }
    ).rows.map((c) => [c.id, c]),
  );
  // one group per campaign (its products and offer), one for the rest
  const groups = new Map<string, SendRow[]>();
  for (const s of sends) {
    const k = s.campaign_id ?? '';
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  for (const [campaignId, group] of groups) {
    const c = campaigns.get(campaignId);
    const ids = [...new Set(group.map((s) => s.customer_id))];
    const productIds = c
      ? c.product_ids
      : [...new Set(group.flatMap((s) => strings(s.payload?.data?.product_ids)))];
    let contexts: Map<string, RecipientContext>;
    let codes = new Map<string, string>();
    let unsubscribes = new Map<string, string | undefined>();
    try {
      contexts = await recipientContexts(deps.db, deps, ids, {
        productIds,
        campaign: c ? { id: c.id, name: c.name } : null,
      });
      if (c?.offer) codes = await offerCodesFor(deps.db, deps, c.id, ids);
      // unsubscribe links of marketing e-mail, all at once (one read of the signing key)
      const mail = group.filter((s) => s.marketing && s.medium === 'email');
      const urls = await unsubscribeUrls(
        deps.db,
        deps,
        mail.map((s) => ({ customerId: s.customer_id, medium: s.medium, sendId: s.id })),
      );
      unsubscribes = new Map(mail.map((s, i) => [s.id, urls[i]]));
    } catch (e) {
      // the database went away: the round fails and the sends are taken again after their lease
      if (isDatabaseUnavailable(e)) throw e;
      for (const s of group) fail(failed, 'template_error', s, e instanceof Error ? e.message : String(e));
      continue;
    }
    for (const s of group) {
      const { content, variant } = contentOf(s, c);
      const base = contexts.get(s.customer_id);
      if (!content || !base) {
        fail(failed, 'template_error', s, content ? 'no recipient context' : `no ${s.medium} content`);
        continue;
      }
      if (!s.address) {
        fail(failed, 'no_address', s, 'no address');
        continue;
      }
      try {
        const unsubscribe = unsubscribes.get(s.id);
        const code = codes.get(s.customer_id);
        const ctx: RecipientContext & { data?: Record<string, unknown> } = {
          ...base,
          offer: code
            ? { code, description: base.offer?.description ?? c?.offer?.description ?? '' }
            : base.offer,
          links: { ...base.links, unsubscribe: unsubscribe ?? base.links.unsubscribe },
          ...(s.payload?.data ? { data: s.payload.data } : {}),
        };
        const rendered = instrument(deps, await renderContent(s.medium, content, ctx), {
          id: s.id,
          medium: s.medium,
        });
        const tags: Record<string, string> = {};
        if (s.campaign_id) tags.campaign_id = s.campaign_id;
        if (s.journey_id) tags.journey_id = s.journey_id;
        if (variant) tags.variant = variant;
        ready.push({
          send: { ...s, variant },
          message: {
            sendId: s.id,
            medium: s.medium as SentMedium,
            to: s.address,
            customerId: s.customer_id,
            marketing: s.marketing,
            subject: rendered.subject,
            html: rendered.html,
            text: rendered.text,
            title: rendered.title,
            url: rendered.url,
            ...(unsubscribe ? { unsubscribeUrl: unsubscribe } : {}),
            tags,
          },
        });
      } catch (e) {
        fail(failed, 'template_error', s, e instanceof Error ? e.message : String(e));
      }
    }
  }
  return { ready, failed };
};
