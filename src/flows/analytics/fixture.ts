/** Test helpers of the analytics tests: shoppers with fresh tokens, and the rollups brought up to date. */
import type { TestApp } from '../../../test/support/app.ts';
import { drainOutbox } from '../../../test/support/stores.ts';
import { rebuildStep } from './rollup.ts';
import { copyTouchesStep, markVisitDaysStep } from './touches.ts';

const PASSWORD = 'long password 1';

/** A fresh customer token (tests move the clock days ahead, and tokens expire). */
export const login = async (t: TestApp, key: string, email: string): Promise<string> =>
  (await t.call<{ token: string }>('POST', '/store/auth/token', { key, body: { email, password: PASSWORD } }))
    .body.token;

/** Registers a shopper; returns their e-mail (to log in again) and customer id. */
export const register = async (t: TestApp, key: string, email: string) => {
  await t.call('POST', '/store/customers', { key, body: { email, password: PASSWORD } });
  const me = await t.call<{ id: string }>('GET', '/store/customers/me', {
    key,
    token: await login(t, key, email),
  });
  return { email, id: me.body.id };
};

/** Runs the outbox, the touch cursor and the day rebuilds until there is nothing left to do. */
export const catchUp = async (t: TestApp): Promise<void> => {
  await drainOutbox(t);
  while ((await copyTouchesStep(t.deps)) > 0);
  while ((await markVisitDaysStep(t.deps)) > 0);
  while ((await rebuildStep(t.deps)) > 0);
};
