import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { newLocation } from '../../../test/support/stock.ts';
import { setProcessingRestricted } from '../customers/index.ts';
import { canContact } from './index.ts';

let t: TestApp;
let web: { id: string; key: string };
let store: string;
beforeAll(async () => {
  t = await createTestApp();
  web = await t.channel('web');
  store = await newLocation(t);
});
afterAll(() => t.close());

interface State {
  purpose: string;
  channel: string;
  status: string;
}
interface Consents {
  processing_restricted: boolean;
  consents: State[];
}
interface AdminConsents {
  current: State[];
  history: {
    id: string;
    status: string;
    source: string;
    ip: string | null;
    user_agent: string | null;
    form_version: string | null;
    location_id: string | null;
  }[];
}

let n = 0;
const shopper = async () => {
  const email = `consent${++n}@example.com`;
  const reg = await t.call<{ id: string }>('POST', '/store/customers', {
    key: web.key,
    body: { email, password: 'long password 1' },
  });
  const s = await t.call<{ token: string }>('POST', '/store/auth/token', {
    key: web.key,
    body: { email, password: 'long password 1' },
  });
  return { id: reg.body.id, token: s.body.token };
};
const put = (token: string, consents: { purpose: string; channel: string; granted: boolean }[]) =>
  t.call<Consents>('PUT', '/store/customers/me/consents', {
    key: web.key,
    token,
    headers: { 'user-agent': 'PlazaTest/1.0' },
    body: { consents, form_version: 'signup-v3' },
  });
const stateOf = (c: { consents?: State[]; current?: State[] }, purpose: string, channel: string) =>
  (c.consents ?? c.current ?? []).find((x) => x.purpose === purpose && x.channel === channel)?.status;
const marketing = (channel: 'email' | 'sms') => ({
  purpose: 'marketing' as const,
  channel,
  kind: 'marketing' as const,
});
const confirmationToken = async (customerId: string) => {
  const { rows } = await t.deps.db.query<{ data: { token: string } }>(
    `SELECT data FROM outbox_events WHERE type = 'consent.confirmation_requested' AND data->>'customer_id' = $1
     ORDER BY seq DESC LIMIT 1`,
    [customerId],
  );
  return rows[0]?.data.token as string;
};

describe('consent', () => {
  it('email marketing waits for the double opt-in; SMS is granted at once', async () => {
    const c = await shopper();
    const r = await put(c.token, [
      { purpose: 'marketing', channel: 'email', granted: true },
      { purpose: 'marketing', channel: 'sms', granted: true },
    ]);
    expect(r.status).toBe(200);
    expect(stateOf(r.body, 'marketing', 'email')).toBe('pending');
    expect(stateOf(r.body, 'marketing', 'sms')).toBe('granted');
    expect(stateOf(r.body, 'analytics', 'in_app')).toBe('not_set');
    expect(await canContact(t.deps.db, c.id, marketing('email'))).toEqual({
      allowed: false,
      reason: 'awaiting_confirmation',
    });
    expect((await canContact(t.deps.db, c.id, marketing('sms'))).allowed).toBe(true);

    const token = await confirmationToken(c.id);
    expect(token).toMatch(/^plz_cf_/);
    const confirm = await t.call<{ status: string; source: string }>(
      'POST',
      `/store/consents/confirm/${token}?channel_key=${web.key}`,
    );
    expect(confirm.status).toBe(200);
    expect(confirm.body).toMatchObject({ status: 'granted', source: 'double_opt_in' });
    expect(await canContact(t.deps.db, c.id, marketing('email'))).toEqual({
      allowed: true,
      reason: 'consent_granted',
    });
    const twice = await t.call('POST', `/store/consents/confirm/${token}?channel_key=${web.key}`);
    expect(twice.status).toBe(200);

    const admin = await t.admin<AdminConsents>('GET', `/customers/${c.id}/consents`);
    expect(admin.body.history.map((h) => [h.status, h.source])).toEqual([
      ['granted', 'double_opt_in'],
      ['granted', 'web_form'],
      ['pending', 'web_form'],
    ]);
    const pending = admin.body.history[2];
    expect(pending).toMatchObject({ user_agent: 'PlazaTest/1.0', form_version: 'signup-v3' });
    expect(pending?.ip).toBeTruthy();
  });

  it('refuses superseded and expired confirmation links', async () => {
    const c = await shopper();
    await put(c.token, [{ purpose: 'marketing', channel: 'email', granted: true }]);
    const stale = await confirmationToken(c.id);
    await put(c.token, [{ purpose: 'marketing', channel: 'email', granted: false }]);
    const r = await t.call('POST', `/store/consents/confirm/${stale}?channel_key=${web.key}`);
    expect(r.status).toBe(409);
    expect(r.body.reason).toBe('superseded');
    expect((await canContact(t.deps.db, c.id, marketing('email'))).allowed).toBe(false);

    await put(c.token, [{ purpose: 'marketing', channel: 'email', granted: true }]);
    const late = await confirmationToken(c.id);
    t.clock.advance(8 * 24 * 3_600_000);
    const expired = await t.call('POST', `/store/consents/confirm/${late}?channel_key=${web.key}`);
    expect(expired.status).toBe(409);
    expect(expired.body.reason).toBe('expired');
    const unknown = await t.call(
      'POST',
      `/store/consents/confirm/plz_cf_not_a_real_token?channel_key=${web.key}`,
    );
    expect(unknown.status).toBe(404);
  });

  it('one-click unsubscribe works without login; transactional messages still go out', async () => {
    const c = await shopper();
    await put(c.token, [{ purpose: 'marketing', channel: 'sms', granted: true }]);
    const tok = await t.admin<{ token: string; path: string }>(
      'GET',
      `/customers/${c.id}/unsubscribe-token?purpose=marketing&channel=sms`,
    );
    const res = await t.app.inject({
      method: 'POST',
      url: `${tok.body.path}?channel_key=${web.key}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ unsubscribed: true, purpose: 'marketing', channel: 'sms' });
    expect(await canContact(t.deps.db, c.id, marketing('sms'))).toEqual({
      allowed: false,
      reason: 'withdrawn',
    });
    expect(
      await canContact(t.deps.db, c.id, { purpose: 'marketing', channel: 'sms', kind: 'transactional' }),
    ).toEqual({ allowed: true, reason: 'transactional' });
    const again = await t.call('POST', `${tok.body.path}?channel_key=${web.key}`);
    expect(again.status).toBe(200);
    const forged = tok.body.path.replace(/.$/, (ch) => (ch === 'a' ? 'b' : 'a'));
    expect((await t.call('POST', `${forged}?channel_key=${web.key}`)).status).toBe(404);
    const history = await t.admin<AdminConsents>('GET', `/customers/${c.id}/consents`);
    expect(history.body.history.map((h) => h.source)).toEqual(['unsubscribe_link', 'web_form']);
  });

  it('never allows marketing while processing is restricted, nor without consent', async () => {
    const c = await shopper();
    expect(await canContact(t.deps.db, c.id, marketing('email'))).toEqual({
      allowed: false,
      reason: 'no_consent',
    });
    await put(c.token, [{ purpose: 'marketing', channel: 'sms', granted: true }]);
    await t.deps.db.tx((tx) => setProcessingRestricted(tx, t.deps, c.id, true, 'test'));
    expect(await canContact(t.deps.db, c.id, marketing('sms'))).toEqual({
      allowed: false,
      reason: 'processing_restricted',
    });
    expect((await canContact(t.deps.db, c.id, { ...marketing('sms'), kind: 'transactional' })).allowed).toBe(
      true,
    );
    const mine = await t.call<Consents>('GET', '/store/customers/me/consents', {
      key: web.key,
      token: c.token,
    });
    expect(mine.body.processing_restricted).toBe(true);
    await t.deps.db.tx((tx) => setProcessingRestricted(tx, t.deps, c.id, false, 'test'));
    expect((await canContact(t.deps.db, c.id, marketing('sms'))).allowed).toBe(true);
  });

  it('records POS and imported statements with their proof; an older import does not override', async () => {
    const c = await shopper();
    const staff = await t.staff([store]);
    const pos = await t.admin<AdminConsents>(
      'POST',
      `/customers/${c.id}/consents`,
      {
        purpose: 'marketing',
        channel: 'mail',
        status: 'granted',
        source: 'pos',
        location_id: store,
        form_version: 'till-1',
      },
      staff,
    );
    expect(pos.status).toBe(201);
    expect(stateOf(pos.body, 'marketing', 'mail')).toBe('granted');
    expect(pos.body.history[0]).toMatchObject({ source: 'pos', location_id: store, form_version: 'till-1' });
    const old = await t.admin<AdminConsents>('POST', `/customers/${c.id}/consents`, {
      purpose: 'marketing',
      channel: 'mail',
      status: 'denied',
      source: 'import',
      recorded_at: '2020-01-01T00:00:00Z',
    });
    expect(stateOf(old.body, 'marketing', 'mail')).toBe('granted');
    expect(old.body.history).toHaveLength(2);
  });

  it('keeps the ledger append-only', async () => {
    const c = await shopper();
    await put(c.token, [{ purpose: 'analytics', channel: 'in_app', granted: true }]);
    await expect(
      t.deps.db.query("UPDATE consent_records SET status = 'denied' WHERE customer_id = $1", [c.id]),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.deps.db.query('DELETE FROM consent_records WHERE customer_id = $1', [c.id]),
    ).rejects.toThrow(/append-only/);
  });
});
