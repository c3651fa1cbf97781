/**
 * Changing the email address in real Chromium at phone size: from security settings (after a fresh
 * step-up), the code from the new address finishes it and the page shows the new address; the old
 * address's "cancel — this wasn't me" page asks before it acts, then puts the old address back and
 * locks the account.
 */
import { describe, expect, it } from 'vitest';
import { findUserByEmail } from '../src/account/users.ts';
import { capture } from './support/browser.ts';
import { createEnrolledAccount, mailCode, nextTotp } from './support/pages.ts';
import { e2eSuite } from './support/suite.ts';

const PASSWORD = 'harbor-violet-compass-73';
const suite = e2eSuite({ NEW_DEVICE_CONFIRMATION: 'off' });
const cancelPath = (text: string) => /http:\/\/localhost:\d+(\/email-change\/cancel\?token=[A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';

describe('changing the email address in Chromium', () => {
  it('step-up, the code from the new address, the new address shown; the old address cancels it and the account is locked', async () => {
    const page = (await suite.newBrowser()).page;
    const oldAddress = suite.email('before');
    const newAddress = suite.email('after');
    const account = await createEnrolledAccount(page, suite.node, oldAddress, PASSWORD);
    suite.node.clock.advance(11 * 60_000); // the sign-in's strong factor no longer counts for step-up
    await page.goto('/security');
    await expect.poll(() => page.getByTestId('email-address').textContent()).toBe(oldAddress);
    await page.getByRole('button', { name: 'Change email address' }).click();
    await page.getByLabel('New email address').fill(newAddress);
    await page.getByRole('button', { name: 'Send a code to the new address' }).click();
    await page.getByLabel('Code from your authenticator app').fill(nextTotp(suite.node, account.secret));
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    const codeMail = await suite.node.waitForMail(newAddress, /Confirm your new email address/);
    await page.getByLabel('Code from the new address').fill(mailCode(codeMail.text));
    await capture(page, 'email-change-code');
    await page.getByRole('button', { name: 'Confirm the new address' }).click();
    await expect.poll(() => page.getByTestId('email-address').textContent()).toBe(newAddress);
    await expect.poll(() => page.getByText(`Your email address is now ${newAddress}.`, { exact: false }).count()).toBe(1);

    const alert = await suite.node.waitForMail(oldAddress, /email address of your account was changed/);
    const other = (await suite.newBrowser()).page;
    await other.goto(cancelPath(alert.text));
    await expect.poll(() => other.getByRole('heading', { level: 1 }).textContent()).toBe('Cancel the email change?');
    const deps = suite.node.server.deps;
    expect((await findUserByEmail(deps.store.db, newAddress))?.frozen_at).toBeNull(); // nothing happened on load
    await capture(other, 'email-change-cancel');
    await other.getByRole('button', { name: 'Cancel the change and lock my account' }).click();
    await expect.poll(() => other.getByText('The change is cancelled and your account is locked.').count()).toBe(1);
    const restored = await findUserByEmail(deps.store.db, oldAddress);
    expect(restored?.frozen_at).not.toBeNull();
    await page.reload();
    await page.waitForURL(/\/login/);
  }, 120_000);
});
