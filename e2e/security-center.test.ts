/**
 * The security center in real Chromium, against a whole Bastion node that asks every new device to
 * be confirmed by email: the anti-phishing code (with step-up) in later emails, sessions and known
 * devices, confirming a new device with the emailed code or link (the waiting browser continues by
 * itself), login activity with failed and risky attempts marked, and locking the account from
 * settings or from the link in an email. Every new page is captured: screenshots, axe-core in light
 * and dark, and no horizontal overflow on a phone.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { capture } from './support/browser.ts';
import { createEnrolledAccount, linkIn, mailCode, nextTotp as nextTotpOf, registerAndVerify as register, signInPassword as signIn, type EnrolledAccount } from './support/pages.ts';
import { e2eSuite } from './support/suite.ts';

const PASSWORD = 'amber-lantern-voyage-47';

const suite = e2eSuite({ NEW_DEVICE_CONFIRMATION: 'always' });

/** A page in a new browser context (no cookies: an unknown device to Bastion). */
async function freshBrowser(): Promise<Page> {
  return (await suite.newBrowser()).page;
}

const email = (name: string) => suite.email(name);
const nextTotp = (secret: string) => nextTotpOf(suite.node, secret);
const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
/** The token of an emailed link's path. */
const tokenOf = (link: string) => new URLSearchParams(link.split('?')[1]).get('token');
/** The text of the element that has keyboard focus. */
const focusedText = (page: Page) => page.evaluate<string>("(document.activeElement?.textContent ?? '').replace(/\\s+/g, ' ').trim()");

type Account = EnrolledAccount;

/** Register, verify, sign in and enroll TOTP: ends on /dashboard, this browser a known device. */
const createAccount = (page: Page, name: string): Promise<Account> => createEnrolledAccount(page, suite.node, email(name), PASSWORD);

const signInPassword = (page: Page, address: string, password = PASSWORD) => signIn(page, address, password);

/** Password and TOTP from a browser Bastion does not know: stops at the confirm-device step. */
async function signInToDeviceStep(page: Page, account: Account): Promise<void> {
  await signInPassword(page, account.address);
  await page.getByLabel('Authentication code').fill(nextTotp(account.secret));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect.poll(() => page.getByText('We emailed you a link and a code to confirm this device').count()).toBe(1);
  await expect.poll(() => page.getByLabel('Verification code').isVisible()).toBe(true);
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);
}

/** /security with every list loaded. */
async function openSecurity(page: Page): Promise<void> {
  await page.goto('/security');
  await expect.poll(() => page.getByTestId('session').count()).toBeGreaterThan(0);
  await expect.poll(() => page.getByTestId('device').count()).toBeGreaterThan(0);
  await expect.poll(() => page.getByTestId('security-event').count()).toBeGreaterThan(0);
  await expect.poll(() => page.getByText(/^Loading (sessions|devices|login activity|security history)…$/).count()).toBe(0);
}

/** Wrong passwords straight at the API (no browser page needed for a failed attempt). */
async function wrongPasswords(page: Page, address: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    suite.node.clock.advance(1000); // each attempt at its own time, so "newest first" is well defined
    const answer = await page.request.post('/api/auth/login', { data: { email: address, password: `wrong-password-${i}-x` }, headers: { origin: suite.node.url } });
    expect(answer.status()).toBe(401);
  }
}

describe('security center in Chromium', () => {
  it('sets the anti-phishing code with step-up; later emails start with it', async () => {
    const page = await freshBrowser();
    const account = await createAccount(page, 'phish');

    // The dashboard checklist links to the section while no code is set.
    await page.getByRole('link', { name: 'Set an anti-phishing code' }).click();
    await page.waitForURL(/\/security#anti-phishing$/);
    await expect.poll(() => focusedText(page)).toBe('Anti-phishing code');
    await openSecurity(page);
    expect(await page.getByTestId('session').filter({ hasText: 'This device' }).count()).toBe(1);
    expect(await page.getByTestId('device').filter({ hasText: 'This device' }).count()).toBe(1);
    await capture(page, 'security-center');

    // Checked in the page before anything is sent.
    const field = page.getByLabel('Anti-phishing code');
    await field.fill('no spaces!');
    await page.getByRole('button', { name: 'Save code' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/4 to 20 letters, digits, _ or -/);
    expect(await field.getAttribute('aria-invalid')).toBe('true');

    // The sign-in's step-up is 10 minutes old: the code needs a fresh authenticator code.
    suite.node.clock.advance(11 * 60_000);
    const code = 'Blue_Falcon-42';
    await field.fill(code);
    await page.getByRole('button', { name: 'Save code' }).click();
    const stepUp = page.getByLabel('Code from your authenticator app');
    await stepUp.waitFor();
    await capture(page, 'security-anti-phishing-step-up');
    await stepUp.fill(nextTotp(account.secret));
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect.poll(() => page.getByText(/anti-phishing code is saved/).count()).toBe(1);
    expect(await page.getByText(/anti-phishing code is saved/).textContent()).toMatch(/Withdrawals are on hold for 24 hours/);
    await expect.poll(() => page.getByText('Status: Set').count()).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'Remove code' }).count()).toBe(1);
    await expect.poll(() => page.locator('[data-testid="security-event"][data-type="security.anti_phishing_changed"]').count()).toBe(1);
    const changed = await suite.node.waitForMail(account.address, /anti-phishing code was changed/);
    expect(changed.text.split(/\r?\n/)[0]).toBe(`Anti-phishing code: ${code}`);

    // Another email, after signing out: it starts with the code too.
    await signOut(page);
    const before = suite.node.smtp.to(account.address).length;
    await page.goto('/forgot-password');
    await page.getByLabel('Email').fill(account.address);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    const reset = await suite.node.waitForMail(account.address, /Reset your password/, before);
    expect(reset.text.split(/\r?\n/)[0]).toBe(`Anti-phishing code: ${code}`);
  }, 120_000);

  it('asks the inbox before another browser may enroll the first second factor of a new account', async () => {
    const home = await freshBrowser();
    const address = email('unenrolled');
    await register(home, suite.node, address, PASSWORD);

    // The password alone, in a browser the account does not know: the device step, not enrollment.
    const other = await freshBrowser();
    await signInPassword(other, address);
    await expect.poll(() => other.getByLabel('Verification code').isVisible()).toBe(true);
    expect(other.url()).toMatch(/\/login/);
    const mail = await suite.node.waitForMail(address, /Confirm a sign-in from a new device/);
    await other.getByLabel('Verification code').fill(mailCode(mail.text));
    await other.getByRole('button', { name: 'Confirm', exact: true }).click();
    await other.waitForURL(/\/enroll-2fa/);
    await expect.poll(() => other.getByRole('heading', { level: 1 }).textContent()).toMatch(/two-factor/i);
  });

  it('confirms a new device with the emailed code; sessions and devices can be ended and forgotten', async () => {
    const home = await freshBrowser();
    const account = await createAccount(home, 'device-code');

    const other = await freshBrowser();
    await signInToDeviceStep(other, account);
    await capture(other, 'login-confirm-device');
    const mail = await suite.node.waitForMail(account.address, /Confirm a sign-in from a new device/);
    expect(mail.text).toMatch(/Chrom/);
    expect(linkIn(mail.text, 'lock-account')).toBeTruthy();
    const code = mailCode(mail.text);
    expect(code).toMatch(/^\d{6}$/);

    await other.getByLabel('Verification code').fill(code === '000000' ? '111111' : '000000');
    await other.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect.poll(() => other.getByRole('alert').textContent()).toMatch(/not right/i);
    expect(await other.getByLabel('Verification code').getAttribute('aria-invalid')).toBe('true');
    await other.getByLabel('Verification code').fill(code);
    await other.getByRole('button', { name: 'Confirm', exact: true }).click();
    await other.waitForURL(/\/dashboard/);

    // The first browser sees both sessions and both devices, and ends the other one's session.
    await openSecurity(home);
    await expect.poll(() => home.getByTestId('session').count()).toBe(2);
    await expect.poll(() => home.getByTestId('device').count()).toBe(2);
    await home.getByRole('button', { name: /^End session/ }).click();
    await expect.poll(() => home.getByText(/session on .+ has ended/).count()).toBe(1);
    await expect.poll(() => home.getByTestId('session').count()).toBe(1);
    await expect.poll(() => home.locator('[data-testid="security-event"][data-type="session.revoked"]').count()).toBe(1);
    await other.goto('/dashboard');
    await other.waitForURL(/\/login/);

    // Forgetting the other browser: its next sign-in needs confirming again.
    await home.getByRole('button', { name: /^Forget (?!this device)/ }).click();
    await expect.poll(() => home.getByTestId('device').count()).toBe(1);
    await signInToDeviceStep(other, account);
  }, 120_000);

  it('confirms a new device from the emailed link in another browser; the waiting browser continues by itself', async () => {
    const home = await freshBrowser();
    const account = await createAccount(home, 'device-link');

    const signingIn = await freshBrowser();
    await signInToDeviceStep(signingIn, account);
    const mail = await suite.node.waitForMail(account.address, /Confirm a sign-in from a new device/);
    const link = linkIn(mail.text, 'confirm-device');
    expect(link).toBeTruthy();

    const phone = await freshBrowser();
    const response = await phone.goto(link);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    // The page shows the sign-in it would confirm and waits for the button: opening it confirmed nothing.
    await expect.poll(() => heading(phone)).toBe('Was this you signing in?');
    const attempt = phone.getByTestId('sign-in-attempt');
    await expect.poll(() => attempt.textContent()).toMatch(/Device.*Chrom.+Location.+IP address.*127\.0\.0\.1.*Started/);
    expect(await phone.getByText('the browser where you are signing in continues by itself', { exact: false }).count()).toBe(1);
    await capture(phone, 'confirm-device-ask');
    expect((await phone.request.post('/api/auth/login/confirm-device/preview', { data: { token: tokenOf(link) } })).status()).toBe(200);
    expect(signingIn.url()).toMatch(/\/login/);
    await phone.getByRole('button', { name: 'Yes, this was me — confirm' }).click();
    await expect.poll(() => heading(phone)).toBe('Device confirmed');
    expect(await phone.getByRole('status').textContent()).toContain(
      'Device confirmed. Go back to the browser where you were signing in; it will continue by itself.',
    );
    await capture(phone, 'confirm-device');

    // The waiting browser asks every 3 seconds and signs in once the link was opened.
    await signingIn.waitForURL(/\/dashboard/, { timeout: 20_000 });
    await expect.poll(() => heading(signingIn)).toBe('Dashboard');

    // The link works once: the page says so, with no button.
    await phone.goto(link);
    await expect.poll(() => heading(phone)).toBe('Device not confirmed');
    await expect.poll(() => phone.getByRole('alert').textContent()).toMatch(/not valid/i);
    expect(await phone.getByRole('button', { name: 'Yes, this was me — confirm' }).count()).toBe(0);
    await capture(phone, 'confirm-device-failed');

    // Back in the first browser: sign out everywhere else.
    await openSecurity(home);
    await expect.poll(() => home.getByTestId('session').count()).toBe(2);
    await home.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await expect.poll(() => home.getByText('Signed out of 1 other session.').count()).toBe(1);
    await expect.poll(() => home.getByTestId('session').count()).toBe(1);
    await signingIn.goto('/security');
    await signingIn.waitForURL(/\/login/);
  }, 120_000);

  it('confirms from the emailed link in another tab of the same browser: that tab signs in, and the waiting tab follows instead of saying it expired', async () => {
    const home = await freshBrowser();
    const account = await createAccount(home, 'device-tab');

    const browser = await suite.newBrowser();
    const waiting = browser.page;
    await signInToDeviceStep(waiting, account);
    const mail = await suite.node.waitForMail(account.address, /Confirm a sign-in from a new device/);

    // The link opened in a second tab of the same browser (same cookies), watched like the first.
    const tab = await browser.context.newPage();
    tab.on('console', (message) => {
      if (message.type() === 'error') browser.errors.push(`console (second tab): ${message.text()}`);
    });
    tab.on('pageerror', (error) => browser.errors.push(`page error (second tab): ${error.message}`));
    await tab.goto(linkIn(mail.text, 'confirm-device'));
    await expect.poll(() => heading(tab)).toBe('Was this you signing in?');
    await expect.poll(() => tab.getByText('Confirming signs you in here, in this browser.').count()).toBe(1);
    await tab.getByRole('button', { name: 'Yes, this was me — confirm' }).click();
    await tab.waitForURL(/\/dashboard/);
    await expect.poll(() => heading(tab)).toBe('Dashboard');

    // The first tab's next check finds the flow finished and the session there: it goes on to the dashboard.
    await waiting.waitForURL(/\/dashboard/, { timeout: 20_000 });
    await expect.poll(() => heading(waiting)).toBe('Dashboard');
    expect(await waiting.getByText(/expired/i).count()).toBe(0);
  }, 120_000);

  it('lists login activity with failed and risky attempts marked in words, ten at a time', async () => {
    const home = await freshBrowser();
    const account = await createAccount(home, 'activity');

    const stranger = await freshBrowser();
    await wrongPasswords(stranger, account.address, 4);
    await signInToDeviceStep(stranger, account);
    // Four more failures: eight in the last hour, so the next sign-in is risky (recent_failures).
    await wrongPasswords(stranger, account.address, 4);
    await signInToDeviceStep(stranger, account);
    await wrongPasswords(stranger, account.address, 3);

    await openSecurity(home);
    const entries = home.getByTestId('activity-entry');
    await expect.poll(() => entries.count()).toBe(10);
    // Newest first: the last three wrong passwords.
    for (let i = 0; i < 3; i++) {
      const entry = entries.nth(i);
      expect(await entry.getAttribute('data-result')).toBe('wrong_password');
      expect(await entry.getAttribute('data-flagged')).toBe('true');
      expect(await entry.getByTestId('activity-badge').allTextContents()).toEqual(['Failed']);
      expect(await entry.textContent()).toMatch(/Wrong password/);
    }
    const risky = home.locator('[data-testid="activity-entry"][data-result="device_pending"]').first();
    expect(await risky.getAttribute('data-flagged')).toBe('true');
    expect(await risky.getByTestId('activity-badge').allTextContents()).toEqual(['New device', 'Risky: many recent failures']);
    expect(await risky.textContent()).toMatch(/Authenticator app/);

    await home.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => entries.count()).toBeGreaterThanOrEqual(13);
    // Focus moves to the first entry just added, so reading continues where it left off.
    await expect.poll(() => home.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null")).toBe('activity-entry');
    const results = await home.locator('[data-testid="activity-entry"]').evaluateAll((items) =>
      items.map((item) => ({ result: item.getAttribute('data-result'), flagged: item.getAttribute('data-flagged') })),
    );
    expect(results.filter((r) => r.result === 'wrong_password')).toHaveLength(11);
    expect(results.filter((r) => r.result === 'device_pending')).toHaveLength(2);
    for (const r of results) expect(r.flagged, JSON.stringify(r)).toBe(r.result === 'success' ? 'false' : 'true');
    await capture(home, 'security-login-activity');
  }, 120_000);

  it('locks the account from settings; signing in then says so; after 24 hours the authenticator unlocks it', async () => {
    const page = await freshBrowser();
    const account = await createAccount(page, 'freeze');
    await openSecurity(page);

    await page.getByRole('button', { name: 'Lock my account', exact: true }).click();
    await expect.poll(() => focusedText(page)).toBe('Lock your account now?');
    const question = page.getByRole('group', { name: 'Lock your account now?' });
    expect(await question.textContent()).toMatch(/Every session ends/);
    expect(await question.textContent()).toMatch(/withdrawals/);
    expect(await question.textContent()).toMatch(/After 24 hours/);
    await capture(page, 'security-lock-confirm');
    // Cancelling goes back to the button.
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => focusedText(page)).toBe('Lock my account');
    await page.getByRole('button', { name: 'Lock my account', exact: true }).click();
    await page.getByRole('button', { name: 'Yes, lock my account' }).click();
    await page.waitForURL(/\/account-locked$/);
    await expect.poll(() => heading(page)).toBe('Your account is locked');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await capture(page, 'account-locked');
    await suite.node.waitForMail(account.address, /Your account is locked/);

    await signInPassword(page, account.address);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/You locked this account yourself\. You can unlock it after .+ by signing in/);
    await capture(page, 'login-frozen');

    // After the cooldown: only the authenticator is offered, then the inbox confirms it.
    suite.node.clock.advance(24 * 3_600_000 + 60_000);
    const before = suite.node.smtp.to(account.address).length;
    await signInPassword(page, account.address);
    await expect.poll(() => page.getByLabel('Authentication code').isVisible()).toBe(true);
    expect(await page.getByRole('radio').count()).toBe(1);
    expect(await page.getByRole('radio', { name: 'Authenticator app' }).isChecked()).toBe(true);
    await page.getByLabel('Authentication code').fill(nextTotp(account.secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => page.getByLabel('Verification code').isVisible()).toBe(true);
    const mail = await suite.node.waitForMail(account.address, /Confirm a sign-in from a new device/, before);
    await page.getByLabel('Verification code').fill(mailCode(mail.text));
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.waitForURL(/\/dashboard/);
    await suite.node.waitForMail(account.address, /Your account is unlocked/, before);
  }, 120_000);

  it('locks the account from the link in a security email', async () => {
    const home = await freshBrowser();
    const account = await createAccount(home, 'lock-link');
    const alert = await suite.node.waitForMail(account.address, /Two-factor authentication was turned on/);
    const link = linkIn(alert.text, 'lock-account');
    expect(link).toBeTruthy();

    const page = await freshBrowser();
    const response = await page.goto(link);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await expect.poll(() => heading(page)).toBe('Lock your account?');
    await capture(page, 'lock-account');
    await page.getByRole('button', { name: 'Lock my account' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^Your account is locked/);
    await expect.poll(() => heading(page)).toBe('Account locked');
    await expect.poll(() => focusedText(page)).toBe('Account locked');
    await capture(page, 'lock-account-done');

    // Every session ended: the first browser is signed out.
    await home.goto('/dashboard');
    await home.waitForURL(/\/login/);

    // The link works once; a link without a token says so before sending anything.
    await page.goto(link);
    await page.getByRole('button', { name: 'Lock my account' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/This link is not valid/);
    await capture(page, 'lock-account-failed');
    await page.goto('/lock-account');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/incomplete/);
    await page.goto('/confirm-device');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/incomplete/);
  }, 120_000);
});
