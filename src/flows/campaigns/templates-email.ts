/**
 * E-mail around a rendered body: a responsive layout (tables, inline styles, at most 600 px wide,
 * a hidden preheader, a footer with the shop and the unsubscribe link) and a text part made from
 * the HTML when the template has none.
 */

const escapeHtml = (s: string): string =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  euro: '€',
  pound: '£',
  copy: '©',
  reg: '®',
  laquo: '«',
  raquo: '»',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  zwnj: '',
};

const decodeEntities = (s: string): string =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return NAMED[name.toLowerCase()] ?? all;
  });

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  const v = m?.[2] ?? m?.[3] ?? m?.[4];
  return v === undefined ? undefined : decodeEntities(v);
};

/**
 * A readable plain-text version of an HTML body: no tags, block elements on their own lines, list
 * items with "- ", links as "label (URL)", images as their alt text, entities decoded.
 */
export const htmlToText = (html: string): string => {
  let s = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, '')
    // the hidden preheader is not part of the message
    .replace(/<div[^>]*display:\s*none[^>]*>[\s\S]*?<\/div>/gi, '');
  s = s.replace(/<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi, (_all, attrs: string, inner: string) => {
    const href = attr(` ${attrs}`, 'href');
    const label = inner.replace(/<[^>]+>/g, '').trim();
    if (!href || /^(mailto:|tel:)?$/i.test(href) || href.startsWith('#')) return label;
    const shown = decodeEntities(label).replace(/\s+/g, ' ');
    return shown && shown !== href ? `${label} (${href})` : href;
  });
  s = s
    .replace(/<img\b[^>]*>/gi, (tag) => attr(tag, 'alt') ?? '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<hr\b[^>]*>/gi, '\n----\n')
    .replace(/<\/?(p|div|h[1-6]|ul|ol|table|tr|blockquote|section|header|footer)\b[^>]*>/gi, '\n')
    .replace(/<\/t[dh]\s*>/gi, ' ')
    .replace(/<[^>]+>/g, '');
  return decodeEntities(s)
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
};

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/** True when the template is a whole document of its own (then it is sent as it is, without the layout). */
export const isFullDocument = (html: string): boolean => /<html[\s>]|<body[\s>]/i.test(html);

/**
 * The responsive layout around a rendered body. `preheader` is the line mail clients show after the
 * subject (hidden in the message); the footer links to the shop and, when given, to the
 * one-click unsubscribe page.
 */
export const emailLayout = (p: {
  body: string;
  subject: string;
  preheader: string;
  lang: string;
  shopUrl: string;
  unsubscribeUrl: string | null;
}): string => {
  const footer = [
    `<a href="${escapeHtml(p.shopUrl)}" style="color:#52525b;text-decoration:underline;">Visit the shop</a>`,
    ...(p.unsubscribeUrl
      ? [
          `<a href="${escapeHtml(p.unsubscribeUrl)}" style="color:#52525b;text-decoration:underline;">Unsubscribe</a>`,
        ]
      : []),
  ].join(' &middot; ');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(p.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>${escapeHtml(p.subject)}</title>
<style>
@media only screen and (max-width: 620px) {
  .pz-container { width: 100% !important; }
  .pz-body { padding: 20px 16px !important; }
  img { max-width: 100% !important; height: auto !important; }
}
</style>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f5;">
<div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;">${escapeHtml(p.preheader)}${'&#8204;&nbsp;'.repeat(20)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f5;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" class="pz-container" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px;max-width:600px;background-color:#ffffff;border-radius:8px;">
<tr><td class="pz-body" style="padding:32px;font-family:${FONT};font-size:16px;line-height:1.5;color:#18181b;">
${p.body}
</td></tr>
</table>
<table role="presentation" class="pz-container" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px;max-width:600px;">
<tr><td style="padding:16px 32px;font-family:${FONT};font-size:12px;line-height:1.5;color:#71717a;text-align:center;">
${footer}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
};

/** The text part's footer: the unsubscribe link when there is one. */
export const textFooter = (unsubscribeUrl: string | null): string =>
  unsubscribeUrl ? `\n\n--\nUnsubscribe: ${unsubscribeUrl}\n` : '\n';

/** The first words of a text, for a preheader. */
export const excerpt = (text: string, max = 110): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
};
