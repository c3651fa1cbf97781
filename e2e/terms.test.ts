/**
 * The terms of service in real Chromium: the sign-up page links them (the built-in placeholder in
 * development) and will not send without the box ticked; an account whose accepted version is not
 * the current one is asked after its next sign-in, before the dashboard (and before enrolling a
 * second factor, for an account that has none yet).
 */
import { describe, expect, it } from 'vitest';
import { capture } from './support/browser.ts';
import { createEnrolledAccount, nextTotp, registerAndVerify, signInPassword } from './support/pages.ts';
import { e2eSuite } from './support/suite.ts';

const PASSWORD = 'amber-lantern-voyage-47';
const suite = e2eSuite({ TERMS_VERSION: '2026-12' });
const heading = (page: Awaited<ReturnType<typeof suite.newBrowser>>['page']) => page.getByRole('heading', { level: 1 }).textContent();

describe('terms of service in Chromium', () => {
  it('sign-up links the terms (the placeholder page with its version) and refuses to send without the box ticked', async () => {
    const { page } = await suite.newBrowser();
    await page.goto('/register');
    const link = page.getByRole('link', { name: 'terms of service' });
    await expect.poll(() => link.getAttribute('href')).toBe(`${suite.node.url}/terms`);
    expect(await link.getAttribute('target')).toBe('_blank');
    await page.getByLabel('Email').fill(suite.email('no-terms'));
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/agree to the terms of service/i);
    expect(page.url()).toMatch(/\/register$/);
    expect(suite.node.smtp.to(suite.email('no-terms'))).toEqual([]);

    await page.goto('/terms');
    await expect.poll(() => page.getByTestId('terms-version').textContent()).toBe('2026-12');
    expect(await page.getByTestId('terms-placeholder').textContent()).toMatch(/placeholder/);
    await capture(page, 'terms-placeholder');
  });

  it('after a sign-in, new terms are asked for before the dashboard; accepted, the dashboard opens and the next sign-in goes straight there', async () => {
    const { page } = await suite.newBrowser();
    const address = suite.email('new-terms');
    const account = await createEnrolledAccount(page, suite.node, address, PASSWORD);
    const db = suite.node.server.deps.store.db;
    expect(await db.selectFrom('users').select('terms_version').where('email', '=', address).executeTakeFirstOrThrow()).toEqual({ terms_version: '2026-12' });
    // The account accepted an earlier version (the installation moved to 2026-12 since).
    await db.updateTable('users').set({ terms_version: '2026-06' }).where('email', '=', address).execute();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);

    const signInWithTotp = async () => {
      await signInPassword(page, address, PASSWORD);
      await page.getByLabel('Authenticator app').check();
      await page.getByLabel('Authentication code').fill(nextTotp(suite.node, account.secret));
      await page.getByRole('button', { name: 'Verify' }).click();
    };
    await signInWithTotp();
    await page.waitForURL(/\/accept-terms/);
    await expect.poll(() => heading(page)).toBe('Our terms of service have changed');
    expect(await page.getByRole('link', { name: 'Read the terms of service' }).getAttribute('href')).toBe(`${suite.node.url}/terms`);
    await capture(page, 'accept-terms');
    // The dashboard is not reachable meanwhile.
    await page.goto('/dashboard');
    await page.waitForURL(/\/accept-terms/);
    await page.getByRole('button', { name: 'Accept and continue' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/agree to the terms/i);
    await page.getByLabel('I agree to the terms of service').check();
    await page.getByRole('button', { name: 'Accept and continue' }).click();
    await page.waitForURL(/\/dashboard/);
    expect(await db.selectFrom('users').select('terms_version').where('email', '=', address).executeTakeFirstOrThrow()).toEqual({ terms_version: '2026-12' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await signInWithTotp();
    await page.waitForURL(/\/dashboard/);
  });

  it('an account without its second factor yet accepts the new terms first, then sets up two-factor authentication', async () => {
    const { page } = await suite.newBrowser();
    const address = suite.email('terms-before-2fa');
    await registerAndVerify(page, suite.node, address, PASSWORD);
    await suite.node.server.deps.store.db.updateTable('users').set({ terms_version: null, terms_accepted_at: null }).where('email', '=', address).execute();
    await signInPassword(page, address, PASSWORD);
    await page.waitForURL(/\/accept-terms/);
    // The enrolment waits for the terms too.
    await page.goto('/enroll-2fa');
    await page.waitForURL(/\/accept-terms/);
    await page.getByLabel('I agree to the terms of service').check();
    await page.getByRole('button', { name: 'Accept and continue' }).click();
    await page.waitForURL(/\/enroll-2fa/);
    await expect.poll(() => page.getByTestId('totp-secret').textContent()).toMatch(/^[A-Z2-7 ]{32,}$/);
  });
});
