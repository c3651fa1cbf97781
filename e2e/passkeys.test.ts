/**
 * Passkey journeys in real Chromium with a virtual authenticator (support/webauthn.ts), against a
 * whole Bastion node: a passkey as the only second factor, signing in with it alone (button and
 * autofill) or after the password, step-up, rename and delete, password reset, a new device, and an
 * authenticator that cannot verify its user being refused. Like every journey, a console error
 * fails the test and captured pages are checked with axe-core at phone and desktop sizes.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { capture } from './support/browser.ts';
import { linkIn, mailCode, registerAndVerify as register, signInPassword as signIn } from './support/pages.ts';
import { e2eSuite } from './support/suite.ts';
import {
  conditionalState,
  VirtualAuthenticators,
  watchConditionalRequests,
  type VirtualAuthenticator,
  type VirtualCredential,
} from './support/webauthn.ts';

const PASSWORD = 'amber-lantern-voyage-47';
const MINUTE = 60_000;

const suite = e2eSuite();

/** A fresh browser (a device Bastion does not know yet) whose tab has a WebAuthn domain to add authenticators to. */
async function freshBrowser(): Promise<{ page: Page; authenticators: VirtualAuthenticators }> {
  const { page, context } = await suite.newBrowser();
  await watchConditionalRequests(context);
  const authenticators = await VirtualAuthenticators.attach(context, page);
  return { page, authenticators };
}

const email = (name: string) => suite.email(name);
const alertText = (page: Page) => page.getByRole('alert').textContent();
/** The focused element's label (for fields) or text. */
const focused = (page: Page) =>
  page.evaluate<string>(
    "(() => { const el = document.activeElement; const label = el && el.labels && el.labels[0] ? el.labels[0].textContent : ''; return (label || (el ? el.textContent : '') || '').replace(/\\s+/g, ' ').trim(); })()",
  );
/** Waits until the sign-in page's autofill (conditional) request is waiting. */
const autofillWaiting = (page: Page) =>
  expect.poll(async () => {
    const { started, ended } = await conditionalState(page);
    return started > 0 && ended === '';
  }).toBe(true);
const meStatus = async (page: Page) => (await page.request.get('/api/me')).status();

const registerAndVerify = (page: Page, address: string) => register(page, suite.node, address, PASSWORD);

const signInPassword = (page: Page, address: string, password = PASSWORD) => signIn(page, address, password);

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);
}

/** /security with the passkey list loaded (`count` passkeys). */
async function passkeyList(page: Page, count: number) {
  const items = page.getByTestId('passkey');
  await expect.poll(() => items.count()).toBe(count);
  return items;
}

/** The account the journeys share: its passkey lives on in `credential` (with its latest counter). */
interface Account {
  address: string;
  credential: VirtualCredential;
}
let account: Account | undefined;

function shared(): Account {
  if (!account) throw new Error('the first journey did not create the passkey account');
  return account;
}

/** Keeps the shared passkey's counter current, so the next browser that holds it counts on from there. */
async function keepCredential(authenticator: VirtualAuthenticator): Promise<void> {
  const [latest] = await authenticator.credentials();
  if (latest && account && latest.credentialId === account.credential.credentialId) account.credential = latest;
}

describe('passkeys in Chromium', () => {
  it('a–d: enroll a passkey as the only second factor → sign in with it (autofill, button, after the password) → step up, add, rename, delete', async () => {
    const { page, authenticators } = await freshBrowser();
    const phone = await authenticators.add();
    const address = email('passkey');

    // (a) Mandatory enrollment with a passkey instead of an authenticator app.
    await registerAndVerify(page, address);
    await signInPassword(page, address);
    await page.waitForURL(/\/enroll-2fa/);
    const create = page.getByRole('button', { name: 'Create a passkey' });
    await expect.poll(() => create.isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('totp-secret').isVisible()).toBe(true); // the app remains the other choice
    await capture(page, 'enroll-2fa-choice');
    await create.click();
    await expect.poll(() => page.getByTestId('backup-code').count()).toBe(10);
    expect(await page.getByRole('status').filter({ hasText: 'Two-factor authentication is on, with your passkey.' }).count()).toBe(1);
    await capture(page, 'passkey-backup-codes');
    await page.getByRole('button', { name: 'I have saved my backup codes' }).click();
    await page.waitForURL(/\/dashboard/);
    const [credential] = await phone.credentials();
    expect(credential?.isResidentCredential).toBe(true);
    account = { address, credential: credential as VirtualCredential };
    const me = (await (await page.request.get('/api/me')).json()) as {
      security: { passkeys: { count: number }; twoFactor: { enabled: boolean; methods: string[] } };
      session: { restricted: boolean };
    };
    expect(me.session.restricted).toBe(false);
    expect(me.security.passkeys).toEqual({ count: 1 });
    expect(me.security.twoFactor.enabled).toBe(true);
    expect(me.security.twoFactor.methods).toContain('passkey');
    expect(me.security.twoFactor.methods).not.toContain('totp');
    await suite.node.waitForMail(address, /A passkey was added/);

    // (b) Signing in with the passkey alone. Chromium's virtual authenticator answers the sign-in
    // page's autofill request by itself, so with presence on, opening /login signs in at once…
    await phone.presence(false);
    await signOut(page);
    expect(await meStatus(page)).toBe(401);
    await phone.presence(true);
    await page.reload();
    await page.waitForURL(/\/dashboard/);
    expect(await meStatus(page)).toBe(200);

    // …and with presence off the autofill waits, as for a person: the button aborts it and asks.
    await phone.presence(false);
    await signOut(page);
    const button = page.getByRole('button', { name: 'Sign in with a passkey' });
    await autofillWaiting(page);
    expect(await page.getByLabel('Email').getAttribute('autocomplete')).toBe('username webauthn');
    await capture(page, 'login-with-passkey');
    await phone.presence(true);
    await button.click();
    await page.waitForURL(/\/dashboard/);
    expect((await conditionalState(page)).ended).toBe('AbortError');

    // (c) Password first, then the passkey as the second factor (offered first). Submitting the
    // password aborts the waiting autofill request, and the flow it started does not get in the way.
    await phone.presence(false);
    await signOut(page);
    await autofillWaiting(page);
    await page.getByLabel('Email').fill(address);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const passkeyChoice = page.getByRole('radio', { name: 'Passkey' });
    await expect.poll(() => passkeyChoice.isChecked()).toBe(true);
    expect((await conditionalState(page)).ended).toBe('AbortError');
    expect(await page.getByRole('radio').first().getAttribute('value')).toBe('passkey');
    await capture(page, 'login-second-factor-passkey');
    // A prompt that is cancelled (here: times out) gets a calm message and can be tried again.
    await page.route('**/api/auth/login/passkey-options', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { options: { timeout?: number } };
      await route.fulfill({ response, json: { options: { ...body.options, timeout: 1000 } } });
    });
    await page.getByRole('button', { name: 'Use your passkey' }).click();
    await expect.poll(() => alertText(page), { timeout: 15_000 }).toMatch(/cancelled or timed out/);
    await page.unrouteAll({ behavior: 'wait' });
    await phone.presence(true);
    await page.getByRole('button', { name: 'Use your passkey' }).click();
    await page.waitForURL(/\/dashboard/);

    // (d) Security settings, once step-up has gone stale: adding a passkey asks for the passkey.
    suite.node.clock.advance(11 * MINUTE);
    await page.goto('/security');
    const firstName = (await (await passkeyList(page, 1)).first().locator('strong').textContent()) ?? '';
    expect(firstName).toBeTruthy();
    await capture(page, 'security-passkeys');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    const confirm = page.getByRole('button', { name: 'Use your passkey' });
    await expect.poll(() => confirm.isVisible()).toBe(true);
    expect(await page.getByLabel('Code from your authenticator app').count()).toBe(0); // no authenticator app on this account
    await capture(page, 'security-step-up-passkey');
    await confirm.click();
    // Step-up done, the addition runs again; this authenticator already holds the account's passkey.
    await expect.poll(() => alertText(page)).toMatch(/already added/);
    await keepCredential(phone);

    // A second authenticator (a security key) is added with a name.
    await phone.remove();
    const key = await authenticators.add({ transport: 'usb' });
    await page.getByLabel('Passkey name (optional)').fill('Security key');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    const items = await passkeyList(page, 2);
    await expect.poll(() => page.getByText('The passkey “Security key” is added.').count()).toBe(1);
    expect(await items.filter({ hasText: 'Security key' }).count()).toBe(1);
    expect(await key.credentials()).toHaveLength(1);

    // Rename (inline, no step-up): focus goes to the field, Escape cancels, Enter saves.
    await page.getByRole('button', { name: 'Rename Security key' }).click();
    const nameField = page.getByLabel('New name for Security key');
    await expect.poll(() => focused(page)).toBe('New name for Security key');
    await page.keyboard.press('Escape');
    await expect.poll(() => nameField.count()).toBe(0);
    await page.getByRole('button', { name: 'Rename Security key' }).click();
    await nameField.fill('Backup key');
    await capture(page, 'security-passkey-rename');
    await page.keyboard.press('Enter');
    await expect.poll(() => items.filter({ hasText: 'Backup key' }).count()).toBe(1);
    await expect.poll(() => focused(page)).toBe('Rename Backup key');

    // Delete: a confirmation, then gone (step-up is still fresh).
    await page.getByRole('button', { name: 'Delete Backup key' }).click();
    const question = page.getByRole('group', { name: 'Delete the passkey “Backup key”?' });
    await expect.poll(() => question.isVisible()).toBe(true);
    await capture(page, 'security-passkey-delete');
    await question.getByRole('button', { name: 'Yes, delete it' }).click();
    await passkeyList(page, 1);
    await expect.poll(() => page.getByText('The passkey “Backup key” is deleted.').count()).toBe(1);

    // The last strong factor cannot be deleted.
    await page.getByRole('button', { name: `Delete ${firstName}` }).click();
    await page.getByRole('button', { name: 'Yes, delete it' }).click();
    await expect.poll(() => alertText(page)).toMatch(/cannot be deleted/);
    await passkeyList(page, 1);
    await capture(page, 'security-passkey-last');
    await page.getByRole('button', { name: 'Cancel' }).click();

    // A passkey-only account can still add an authenticator app (step-up with the passkey first).
    await key.remove();
    const again = await authenticators.add();
    await again.plant(shared().credential);
    suite.node.clock.advance(11 * MINUTE);
    await page.getByRole('link', { name: 'Set up authenticator app' }).click();
    await page.waitForURL(/\/enroll-2fa/);
    await expect.poll(() => page.getByRole('button', { name: 'Use your passkey' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Use your passkey' }).click();
    await expect.poll(() => page.getByTestId('totp-secret').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Create a passkey' }).count()).toBe(0);
    await keepCredential(again);
  }, 180_000);

  it('(e) refuses an authenticator that cannot verify its user: the browser refuses, and so does the server', async () => {
    const { address, credential } = shared();
    const { page, authenticators } = await freshBrowser();

    // The same passkey on an authenticator without user verification: Chromium will not use it for
    // a sign-in that requires verification, so the prompt ends at once.
    const noUv = await authenticators.add({ transport: 'usb', hasUserVerification: false, isUserVerified: false });
    await noUv.plant(credential);
    await page.goto('/login');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect.poll(() => alertText(page)).toMatch(/cancelled or timed out/);
    await capture(page, 'login-passkey-refused');
    expect(page.url()).toMatch(/\/login$/);
    expect(await meStatus(page)).toBe(401);
    await noUv.remove();

    // An authenticator that can verify but did not (the user failed the check), with the options
    // changed on the way to ask for no verification: the browser answers, and the server must refuse.
    const unverified = await authenticators.add({ hasUserVerification: true, isUserVerified: false });
    await unverified.plant(credential);
    await page.route('**/api/auth/passkey/options', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { options: Record<string, unknown> };
      await route.fulfill({ response, json: { options: { ...body.options, userVerification: 'discouraged' } } });
    });
    await unverified.presence(false);
    await page.reload();
    await autofillWaiting(page);
    await unverified.presence(true);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect.poll(() => alertText(page)).toMatch(/passkey was not accepted/);
    expect(page.url()).toMatch(/\/login$/);
    expect(await meStatus(page)).toBe(401);
    await unverified.presence(false);
    await page.unrouteAll({ behavior: 'wait' });
    // Nothing was signed in along the way, and the account itself is fine.
    expect(await meStatus(page)).toBe(401);
    const login = await page.request.post('/api/auth/login', { data: { email: address, password: PASSWORD }, headers: { origin: suite.node.url } });
    expect(login.status()).toBe(200);
  }, 60_000);

  it('(f) a passkey sign-in from a new device still asks to confirm the device by email', async () => {
    const { address, credential } = shared();
    const { page, authenticators } = await freshBrowser();
    const laptop = await authenticators.add();
    await laptop.plant(credential);
    // The autofill answers by itself (presence is on): no button to press, no email typed.
    const before = suite.node.smtp.to(address).length;
    await page.goto('/login');
    await expect.poll(() => page.getByLabel('Verification code').isVisible()).toBe(true);
    expect(await meStatus(page)).toBe(401);
    const mail = await suite.node.waitForMail(address, /Confirm a sign-in from a new device/, before);
    await page.getByLabel('Verification code').fill(mailCode(mail.text));
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.waitForURL(/\/dashboard/);
    expect(await meStatus(page)).toBe(200);
    await keepCredential(laptop);
  }, 60_000);

  it('(g) resets the password of a passkey-only account with the passkey', async () => {
    const { address, credential } = shared();
    const { page, authenticators } = await freshBrowser();
    const phone = await authenticators.add();
    await phone.plant(credential);
    // The sign-in page the reset ends on must not sign in by itself (the virtual authenticator would
    // answer its autofill request): its options are refused, so it offers no autofill.
    await page.route('**/api/auth/passkey/options', (route) =>
      route.fulfill({ status: 429, json: { error: 'too_many_requests', message: 'Too many requests.' } }),
    );

    await page.goto('/forgot-password');
    await page.getByLabel('Email').fill(address);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    const mail = await suite.node.waitForMail(address, /Reset your password/);
    await page.goto(linkIn(mail.text, 'reset-password'));
    const newPassword = 'cobalt-meadow-thunder-58';
    await page.getByLabel('New password').fill(newPassword);
    await page.getByRole('radio', { name: 'Passkey' }).check();
    await capture(page, 'reset-password-passkey');
    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.waitForURL(/\/login\?reset=1/);
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/password was reset/);
    await keepCredential(phone);

    const login = (password: string) => page.request.post('/api/auth/login', { data: { email: address, password }, headers: { origin: suite.node.url } });
    expect((await login(PASSWORD)).status()).toBe(401);
    const answer = await login(newPassword);
    expect(answer.status()).toBe(200);
    expect(((await answer.json()) as { next: string[] }).next[0]).toBe('passkey');
  }, 60_000);
});
