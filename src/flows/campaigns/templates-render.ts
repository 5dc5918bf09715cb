/** Rendering one medium's content for one recipient (templates.ts renderContent). */
import type { Medium } from '../../modules/messaging/types.ts';
import type { MediumContent, RecipientContext, RenderedMessage, TemplateProblem } from './templates.ts';
import { templateInvalid } from './templates-check.ts';
import { emailLayout, excerpt, htmlToText, isFullDocument, textFooter } from './templates-email.ts';
import { describeLiquidError, parseTemplate, renderTemplate } from './templates-engine.ts';
import {
  type Field,
  flavourOf,
  isSafeUrl,
  LITERAL_FIELDS,
  MEDIUM_FIELDS,
  SMS_MAX,
} from './templates-shape.ts';

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Renders every template field of the content; collects every failure before throwing. */
const renderFields = async (
  medium: Medium,
  content: MediumContent,
  ctx: RecipientContext,
): Promise<Partial<Record<Field, string>>> => {
  const out: Partial<Record<Field, string>> = {};
  const problems: TemplateProblem[] = [];
  for (const field of MEDIUM_FIELDS[medium]) {
    const source = content[field];
    if (typeof source !== 'string' || source === '') continue;
    if (LITERAL_FIELDS.has(field)) {
      out[field] = source;
      continue;
    }
    const flavour = flavourOf(medium, field);
    try {
      out[field] = await renderTemplate(flavour, parseTemplate(flavour, source), ctx);
    } catch (e) {
      problems.push({ medium, field, ...describeLiquidError(e) });
    }
  }
  if (problems.length) throw templateInvalid(problems);
  return out;
};

/** A rendered link: absolute http(s), or a path made absolute on Plaza's public URL. */
const link = (
  medium: Medium,
  field: Field,
  value: string | undefined,
  ctx: RecipientContext,
): string | undefined => {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (!isSafeUrl(v)) {
    throw templateInvalid([
      { medium, field, message: `renders to "${v.slice(0, 100)}", not an http(s) URL or a path` },
    ]);
  }
  return v.startsWith('/') ? `${ctx.links.shop.replace(/\/shop$/, '')}${v}` : v;
};

const renderEmail = (f: Partial<Record<Field, string>>, ctx: RecipientContext): RenderedMessage => {
  const subject = oneLine(f.subject ?? '');
  const body = f.html?.trim() ? f.html : undefined;
  const plain = f.text?.trim() ? f.text.trim() : body ? htmlToText(body) : '';
  const text = plain + textFooter(ctx.links.unsubscribe);
  if (!body) return { subject, text };
  const html = isFullDocument(body)
    ? body
    : emailLayout({
        body,
        subject,
        preheader: oneLine(f.preheader ?? '') || excerpt(plain),
        lang: ctx.customer.locale ?? 'en',
        shopUrl: ctx.links.shop,
        unsubscribeUrl: ctx.links.unsubscribe,
      });
  return { subject, html, text };
};

/** Renders one medium's content for one recipient; throws TEMPLATE_INVALID with every failure. */
export const renderMedium = async (
  medium: Medium,
  content: MediumContent,
  ctx: RecipientContext,
): Promise<RenderedMessage> => {
  const f = await renderFields(medium, content, ctx);
  if (medium === 'email') return renderEmail(f, ctx);
  if (medium === 'sms') {
    const text = (f.text ?? '').trim();
    if (text.length > SMS_MAX) {
      throw templateInvalid([
        {
          medium,
          field: 'text',
          message: `renders to ${text.length} characters; an SMS is at most ${SMS_MAX}`,
        },
      ]);
    }
    return { text };
  }
  const out: RenderedMessage = { text: (f.body ?? '').trim() };
  if (f.title !== undefined) out.title = oneLine(f.title);
  const url = link(medium, 'url', f.url, ctx);
  if (url) out.url = url;
  const image = link(medium, 'image_url', f.image_url, ctx);
  if (image) out.image_url = image;
  return out;
};
