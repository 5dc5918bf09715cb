import { describe, expect, it } from 'vitest';
import { PlazaError } from '../../platform/errors.ts';
import { checkContent, type RecipientContext, renderContent } from './templates.ts';
import { htmlToText } from './templates-email.ts';

const ctx = (over: Partial<RecipientContext['customer']> = {}): RecipientContext => ({
  customer: {
    id: 'cus_1',
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: 'ada@example.com',
    locale: 'en',
    traits: { shoe_size: 38 },
    computed: { orders_90d: 2 },
    ...over,
  },
  store: { id: 'loc_1', name: 'Downtown', city: 'Portland' },
  products: [
    {
      id: 'prd_1',
      title: 'Runner & Co',
      price: '$25.00',
      url: 'http://shop.test/shop/p/runner',
      image_url: null,
      in_stock_at_store: true,
      available_at_store: 2,
    },
    {
      id: 'prd_2',
      title: 'Trail',
      price: '$60.00',
      url: 'http://shop.test/shop/p/trail',
      image_url: null,
      in_stock_at_store: false,
      available_at_store: 0,
    },
  ],
  offer: null,
  campaign: { id: 'cmp_1', name: 'Spring' },
  links: { unsubscribe: 'http://shop.test/u/tok', shop: 'http://shop.test/shop' },
});

const templateErrors = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PlazaError);
  const pe = e as PlazaError;
  expect(pe.code).toBe('TEMPLATE_INVALID');
  return pe.details.errors as {
    medium: string;
    field: string;
    message: string;
    line?: number;
    column?: number;
  }[];
};

describe('templates: static checks', () => {
  it('accepts valid content on every medium', () => {
    expect(
      checkContent({
        email: {
          subject: 'Hi {{ customer.first_name | default: "there" }}',
          html: '{% for p in products %}{% if p.in_stock_at_store %}<a href="{{ p.url }}">{{ p.title }}</a> {{ p.price }}{% endif %}{% endfor %}{{ forloop.index }}',
        },
        sms: {
          text: '{{ store.name }}: {{ products[0].title }} {{ products.size }} {{ customer.traits.size }}',
        },
        push: { title: 'Hello', body: '{% assign n = customer.first_name %}{{ n | upcase }}', url: '/shop' },
        banner: { slot: 'home_hero', image_url: 'https://cdn.test/x.png' },
        pos: { title: '{{ offer.code }} {{ customer.computed.ltv | money: "EUR" }}' },
        print: { body: '{{ links.unsubscribe }} {{ campaign.name }}' },
      }),
    ).toEqual([]);
  });

  it('reports an unknown variable with its line, column and a suggestion', () => {
    const problems = checkContent({ sms: { text: 'Hello\n  {{ customer.frist_name }}!' } });
    expect(problems).toEqual([
      {
        medium: 'sms',
        field: 'text',
        message: 'unknown variable customer.frist_name (did you mean first_name?)',
        line: 2,
        column: 6,
      },
    ]);
  });

  it('takes the variables a caller adds (the data of a journey) as free-form', () => {
    const content = { sms: { text: 'Order {{ data.order.number }} at {{ store.name }}' } };
    expect(checkContent(content).map((p) => p.message)).toEqual(['unknown variable data']);
    expect(checkContent(content, { variables: ['data'] })).toEqual([]);
  });

  it('checks the variables of a loop over products', () => {
    const problems = checkContent({
      email: {
        subject: 'x',
        html: '{% for p in products %}\n{{ p.title }} {{ p.titel }}{% endfor %}{{ p.title }}',
      },
    });
    expect(problems.map((p) => [p.message, p.line])).toEqual([
      ['unknown variable p.titel (did you mean title?)', 2],
      ['unknown variable p', 2],
    ]);
  });

  it('reports syntax errors and unknown filters with their position', () => {
    const problems = checkContent({
      email: { subject: '{{ customer.first_name | shout }}', html: '<p>\n{% if store %}open' },
      push: { title: 'x', body: "{% include 'secrets' %}" },
    });
    expect(problems).toEqual([
      { medium: 'email', field: 'subject', message: 'undefined filter: shout', line: 1, column: 1 },
      { medium: 'email', field: 'html', message: 'tag {% if store %} not closed', line: 2, column: 1 },
      {
        medium: 'push',
        field: 'body',
        message: 'the include tag is not available in messages',
        line: 1,
        column: 1,
      },
    ]);
  });

  it('requires the fields of each medium and refuses unknown ones', () => {
    const problems = checkContent({
      email: { subject: 'x' },
      sms: { text: 'x'.repeat(1601) },
      push: { title: 'x' },
      banner: { slot: 'Home Hero', body: 'x' },
      pos: { body: 'x', subject: 'y' },
      print: {},
      ads: { text: 'x' },
    } as Parameters<typeof checkContent>[0]);
    expect(problems.map((p) => `${p.medium}.${p.field}: ${p.message}`)).toEqual([
      'email.html: needs html or text',
      'sms.text: an SMS is at most 1600 characters (this one 1601)',
      'push.body: body is required',
      'banner.title: needs title or image_url',
      'banner.slot: a slot name is lowercase letters, digits and _',
      'pos.subject: unknown field subject (this fields are title, body)',
      'pos.title: title is required',
      'print.title: needs title or body',
      'ads.text: unknown field text (this medium has no content)',
    ]);
  });
});

describe('templates: rendering', () => {
  it('escapes HTML in e-mail html, not in SMS or the subject', async () => {
    const c = ctx({ first_name: '<script>alert(1)</script>' });
    const mail = await renderContent(
      'email',
      { subject: 'Hi {{ customer.first_name }}', html: '<p>Hi {{ customer.first_name }}</p>' },
      c,
    );
    expect(mail.html).toContain('<p>Hi &lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(mail.html).not.toContain('<script>');
    expect(mail.subject).toBe('Hi <script>alert(1)</script>');
    const sms = await renderContent('sms', { text: 'Hi {{ customer.first_name }}' }, c);
    expect(sms.text).toBe('Hi <script>alert(1)</script>');
  });

  it('wraps e-mail in the responsive layout and makes a text part with the link URLs', async () => {
    const mail = await renderContent(
      'email',
      {
        subject: 'New at {{ store.name }}',
        html: '<h1>Hello {{ customer.first_name }}</h1>{% for p in products %}{% if p.in_stock_at_store %}<p><a href="{{ p.url }}">{{ p.title }}</a> &ndash; {{ p.price }}</p>{% endif %}{% endfor %}',
      },
      ctx(),
    );
    expect(mail.subject).toBe('New at Downtown');
    expect(mail.html).toMatch(/^<!DOCTYPE html>/);
    expect(mail.html).toContain('max-width:600px');
    expect(mail.html).toContain('display:none'); // the preheader
    expect(mail.html).toContain('href="http://shop.test/u/tok"');
    expect(mail.html).toContain('Runner &amp; Co');
    expect(mail.html).not.toContain('Trail');
    expect(mail.text).toBe(
      'Hello Ada\n\nRunner & Co (http://shop.test/shop/p/runner) – $25.00\n\n--\nUnsubscribe: http://shop.test/u/tok\n',
    );
  });

  it('uses the given text part, and no unsubscribe footer without a link', async () => {
    const c = { ...ctx(), links: { unsubscribe: null, shop: 'http://shop.test/shop' } };
    const mail = await renderContent(
      'email',
      { subject: 's', html: '<p>x</p>', text: 'Plain {{ customer.last_name }}' },
      c,
    );
    expect(mail.text).toBe('Plain Lovelace\n');
    expect(mail.html).not.toContain('Unsubscribe');
  });

  it('converts HTML to readable text', () => {
    expect(
      htmlToText(
        '<style>p{}</style><ul><li>One</li><li><a href="https://x.test/a?b=1&amp;c=2">Two</a></li></ul><img alt="Logo" src="l.png"><br>&euro;5 &#38; <b>bold</b>',
      ),
    ).toBe('- One\n- Two (https://x.test/a?b=1&c=2)\nLogo\n€5 & bold');
  });

  it('throws TEMPLATE_INVALID for a trait the recipient lacks, unless a default is given', async () => {
    const errors = await templateErrors(
      renderContent('push', { title: 'Size {{ customer.traits.hat_size }}', body: 'b' }, ctx()),
    );
    expect(errors).toEqual([
      expect.objectContaining({
        medium: 'push',
        field: 'title',
        line: 1,
        column: 9,
        path: 'content.push.title',
      }),
    ]);
    const ok = await renderContent(
      'push',
      {
        title: 'Size {{ customer.traits.hat_size | default: "?" }} {{ customer.traits.shoe_size }}',
        body: '{% if customer.traits.vip %}VIP{% else %}all{% endif %}',
        url: '/shop/p/{{ "runner" }}',
      },
      ctx(),
    );
    expect(ok).toEqual({ title: 'Size ? 38', text: 'all', url: 'http://shop.test/shop/p/runner' });
  });

  it('refuses a link that renders to a javascript: URL, and an SMS over 1600 characters', async () => {
    const c = ctx({ first_name: 'javascript:alert(1)' });
    await templateErrors(
      renderContent('banner', { slot: 'home_hero', title: 't', url: '{{ customer.first_name }}' }, c),
    );
    for (const other of ['//evil.test/x', '/\\evil.test/x', 'https://a.test/\\x']) {
      const url = '{{ customer.first_name }}';
      await templateErrors(renderContent('push', { title: 't', body: 'b', url }, ctx({ first_name: other })));
      expect(checkContent({ push: { title: 't', body: 'b', url: other } })).toHaveLength(1);
    }
    const errors = await templateErrors(
      renderContent('sms', { text: '{% for i in (1..400) %}abcde{% endfor %}' }, ctx()),
    );
    expect(errors[0]?.message).toContain('2000 characters');
  });

  it('stops a template that would run for ever', async () => {
    const started = Date.now();
    const errors = await templateErrors(
      renderContent('print', { title: '{% for i in (1..100000000) %}{{ i }}{% endfor %}' }, ctx()),
    );
    expect(errors[0]?.message).toBe('memory alloc limit exceeded');
    const slow = await templateErrors(
      renderContent(
        'print',
        { title: '{% for i in (1..3000) %}{% for j in (1..3000) %}{% endfor %}{% endfor %}' },
        ctx(),
      ),
    );
    expect(slow[0]?.message).toBe('template render limit exceeded');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('formats money with the money filter', async () => {
    const c = ctx();
    c.customer.computed = { ltv: 123456 };
    const r = await renderContent('pos', { title: '{{ customer.computed.ltv | money: "EUR" }}' }, c);
    expect(r.title).toBe('€1,234.56');
  });
});
