import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, errorForLog, redactUrl, requestForLog, scrub } from './log.ts';

describe('redactUrl', () => {
  it('keeps paths, ids and the values of harmless parameters', () => {
    expect(redactUrl('/admin/orders/ord_01JABCDEF?limit=20&status=confirmed&from=2026-01-01T00:00:00Z')).toBe(
      '/admin/orders/ord_01JABCDEF?limit=20&status=confirmed&from=2026-01-01T00:00:00Z',
    );
    expect(redactUrl('/admin/inventory?sku=TEE-RED-M&location_id=loc_1&include_revoked')).toBe(
      '/admin/inventory?sku=TEE-RED-M&location_id=loc_1&include_revoked',
    );
  });

  it('redacts every other parameter value: tokens, keys, lookups, search text, coordinates, cursors', () => {
    expect(
      redactUrl(
        '/x?access_token=plz_ct_a&cart_token=plz_cart_b&channel_key=pk_c&token=t&q=ada&cursor=eyJ9&lat=1',
      ),
    ).toBe(
      '/x?access_token=[redacted]&cart_token=[redacted]&channel_key=[redacted]&token=[redacted]&q=[redacted]' +
        '&cursor=[redacted]&lat=[redacted]',
    );
    expect(
      redactUrl('/x?phone=+15035550100&email=a%40b.example&identity=x&card=K7M4P9Q2R8T&brand_new=1'),
    ).toBe('/x?phone=[redacted]&email=[redacted]&identity=[redacted]&card=[redacted]&brand_new=[redacted]');
    // a harmless name does not let a secret or personal value through
    expect(redactUrl('/x?sku=ada%40example.com&customer_id=plz_ct_abc')).toBe(
      '/x?sku=[redacted]&customer_id=[redacted]',
    );
    // a parameter name can itself carry data
    expect(redactUrl('/x?ada@example.com&limit=1')).toBe('/x?[redacted]&limit=1');
  });

  it('redacts route parameters named like a secret, and secret- or personal-shaped segments anywhere', () => {
    expect(redactUrl('/store/consents/confirm/abcDEF123', '/store/consents/confirm/:token')).toBe(
      '/store/consents/confirm/[redacted]',
    );
    expect(redactUrl('/store/unsubscribe/u1.Y3VzOm0.ab12ab12')).toBe('/store/unsubscribe/[redacted]');
    expect(redactUrl('/store/anything/plz_cf_Zm9vYmFy/more')).toBe('/store/anything/[redacted]/more');
    expect(redactUrl('/admin/customers/ada%40example.com')).toBe('/admin/customers/[redacted]');
    expect(redactUrl('/admin/customers/+15035550100')).toBe('/admin/customers/[redacted]');
    expect(redactUrl('/admin/customers/cus_01JABC', '/admin/customers/:id')).toBe(
      '/admin/customers/cus_01JABC',
    );
  });
});

describe('log serializers', () => {
  it('requestForLog uses the matched route of a Fastify request', () => {
    expect(
      requestForLog({
        method: 'POST',
        url: '/store/consents/confirm/sekrit?channel_key=pk_1',
        routeOptions: { url: '/store/consents/confirm/:token' },
      }),
    ).toEqual({ method: 'POST', url: '/store/consents/confirm/[redacted]?channel_key=[redacted]' });
  });

  it('errorForLog keeps name, code, identifiers and a scrubbed message, never the values of a row', () => {
    const e = Object.assign(new Error('duplicate key for ada@example.com'), {
      code: '23505',
      detail: 'Key (email)=(ada@example.com) already exists.',
      constraint: 'customers_email_key',
      table: 'customers',
      client: { password: 'pw' },
    });
    const out = errorForLog(e) as Record<string, unknown>;
    expect(out).toMatchObject({
      type: 'Error',
      code: '23505',
      constraint: 'customers_email_key',
      table: 'customers',
      message: 'duplicate key for [redacted]',
    });
    expect(JSON.stringify(out)).not.toMatch(/ada@|already exists|password/);
    expect(scrub('card 4242424242424242, +33 6 12 34 56 78, whsec_abc')).toBe(
      'card [redacted], [redacted], [redacted]',
    );
  });

  it('every logger applies them to `req` and `err`', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('info', 'plaza', sink);
    log.info(
      { req: { method: 'GET', url: '/x?email=a%40b.example' }, err: new Error('for a@b.example') },
      'm',
    );
    const line = JSON.parse(lines[0] as string);
    expect(line.req).toEqual({ method: 'GET', url: '/x?email=[redacted]' });
    expect(line.err.message).toBe('for [redacted]');
  });
});
