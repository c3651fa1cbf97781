/**
 * Signing in to another app through Bastion, in Chromium: the example relying party
 * (examples/oidc-relying-party) sends the user to Bastion, who signs in with password and
 * authenticator code, allows what the app asks, lands back in the app signed in with its claims shown,
 * sees it under Connected apps in Bastion's security center, and signs out everywhere (Bastion's
 * logout page): the app and Bastion.
 */
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExampleApp } from '../examples/oidc-relying-party/app.ts';
import { addClient } from '../src/flows/oidc/clients.ts';
import { freePort } from '../test/ports.ts';
import { capture } from './support/browser.ts';
import { createEnrolledAccount, enrollAuthenticator, nextTotp, registerAndVerify, submitPassword } from './support/pages.ts';
import { e2eSuite } from './support/suite.ts';

const PASSWORD = 'amber-lantern-voyage-47';
const suite = e2eSuite();

describe('an app signs in through Bastion (OpenID Connect) in Chromium', () => {
  let example: { app: FastifyInstance; sessionCount: () => number; url: string };

  /** From the example app's home page, "Sign in with Bastion", then Bastion's password step. */
  async function signInAtApp(page: Page, address: string): Promise<void> {
    await page.goto(example.url);
    await page.getByRole('link', { name: 'Sign in with Bastion' }).click();
    await page.waitForURL(/\/login$/);
    await submitPassword(page, address, PASSWORD);
  }

  beforeAll(async () => {
    const port = await freePort();
    const url = `http://localhost:${port}`;
    const { client, secret } = await addClient(
      suite.node.server.deps.store.db,
      { name: 'Example app', redirectUris: [`${url}/callback`], postLogoutRedirectUris: [`${url}/`], backchannelLogoutUri: `${url}/backchannel-logout` },
      suite.node.clock.now(),
    );
    const made = await createExampleApp({ issuer: `${suite.node.url}/oidc`, clientId: client.id, clientSecret: secret!, baseUrl: url });
    await made.app.listen({ host: 'localhost', port });
    example = { ...made, url };
  });
  afterAll(async () => {
    await example?.app.close();
  });

  it('sign in through Bastion with password + TOTP, consent, land back signed in, sign out everywhere', async () => {
    const { page } = await suite.newBrowser();
    const address = suite.email('rp');
    const { secret } = await createEnrolledAccount(page, suite.node, address, PASSWORD);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);

    // Not signed in to Bastion: its own sign-in first, then back to the app's request.
    await signInAtApp(page, address);
    await page.getByLabel('Authenticator app').check();
    await page.getByLabel('Authentication code').fill(nextTotp(suite.node, secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Allow Example app?');
    await capture(page, 'oidc-consent');
    await expect.poll(() => page.getByTestId('requested-scopes').textContent()).toContain('Your email address');
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.waitForURL(`${example.url}/`);
    await expect.poll(() => page.getByTestId('email').textContent()).toBe(address);
    expect(await page.locator('[data-claim="amr"]').textContent()).toBe('["pwd","otp","mfa"]');
    expect(await page.locator('[data-claim="kyc_level"]').textContent()).toBe('0');
    expect(example.sessionCount()).toBe(1);

    // Bastion's security center lists the app under Connected apps, with what it was allowed.
    await page.goto(`${suite.node.url}/security`);
    await expect.poll(() => page.getByTestId('connected-app').textContent()).toContain('Example app');
    expect(await page.getByTestId('connected-app').textContent()).toContain('Your email address');
    await capture(page, 'security-connected-apps');
    await page.goto(example.url);

    // Sign out everywhere: Bastion asks, then the app, Bastion and the app's back channel all end.
    await page.getByRole('link', { name: 'Sign out everywhere' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${example.url}/`);
    await expect.poll(() => page.getByText('You are not signed in.').count()).toBe(1);
    await expect.poll(async () => (await page.request.get(`${suite.node.url}/api/me`)).status()).toBe(401);
    expect(example.sessionCount()).toBe(0);
  });

  it('a new account that starts at the app enrols its authenticator on the way and lands back in the app', async () => {
    const { page } = await suite.newBrowser();
    const address = suite.email('rp-new');
    await registerAndVerify(page, suite.node, address, PASSWORD);
    await signInAtApp(page, address);
    // The second factor is mandatory: enrolled first, then back to the app's request.
    await enrollAuthenticator(page, suite.node);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Allow Example app?');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${example.url}/`);
    await expect.poll(() => page.getByTestId('email').textContent()).toBe(address);
    expect(await page.locator('[data-claim="amr"]').textContent()).toBe('["pwd","otp","mfa"]');
  });

  it('revokes a connected app from the security center', async () => {
    const { page } = await suite.newBrowser();
    const address = suite.email('revoke');
    await createEnrolledAccount(page, suite.node, address, PASSWORD);
    await page.goto(example.url);
    await page.getByRole('link', { name: 'Sign in with Bastion' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${example.url}/`);
    await page.goto(`${suite.node.url}/security`);
    await page.getByRole('button', { name: 'Revoke access of Example app' }).click();
    await expect.poll(() => page.getByText('Example app no longer has access.').count()).toBe(1);
    await expect.poll(() => page.getByText('No apps are connected to your account.').count()).toBe(1);
  });
});
