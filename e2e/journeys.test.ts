/**
 * Account journeys in real Chromium (Debian's, via Playwright), against a whole Bastion node with
 * real SMTP. Each journey fails on any console error or uncaught page error, screenshots every page
 * at phone and desktop sizes (test-results/screenshots/), and checks nothing overflows on a phone.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { decodeBase32, totp } from '../src/factors/totp/otp.ts';
import { capture } from './support/browser.ts';
import { linkIn, mailCode, signInPassword as signIn, verifyByLink } from './support/pages.ts';
import { e2eSuite } from './support/suite.ts';

const PASSWORD = 'amber-lantern-voyage-47';

const suite = e2eSuite();

async function open(path: string): Promise<Page> {
  const { page } = await suite.newBrowser();
  await page.goto(path);
  return page;
}

const email = (name: string) => suite.email(name);
/** A POST with this browser's cookies, as the web app sends it (from its own origin). */
const apiPost = (page: Page, path: string, data: unknown) => page.request.post(path, { data, headers: { origin: suite.node.url } });
const totpNow = (secret: string) => totp(decodeBase32(secret), suite.node.clock.now());

async function registerAndVerify(page: Page, address: string): Promise<void> {
  await page.goto('/register');
  await capture(page, 'register');
  await page.getByLabel('Email').fill(address);
  await page.getByLabel('Password', { exact: true }).fill('password');
  await expect.poll(() => page.getByTestId('strength').textContent()).toMatch(/common|weak|too/i);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('I agree to the terms of service').check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/check-email/);
  await capture(page, 'check-email');
  const mail = await suite.node.waitForMail(address, /Verify your email/);
  await page.goto(linkIn(mail.text, 'verify-email'));
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Verify your email address?');
  await capture(page, 'verify-email-ask');
  await page.getByRole('button', { name: 'Verify my email address' }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Email verified');
  await capture(page, 'verify-email');
}

const signInPassword = (page: Page, address: string, password = PASSWORD) => signIn(page, address, password);

async function enroll(page: Page): Promise<string> {
  await page.waitForURL(/\/enroll-2fa/);
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await capture(page, 'enroll-2fa');
  await page.getByLabel('Code from your authenticator app').fill(totpNow(secret));
  await page.getByRole('button', { name: 'Enable two-factor authentication' }).click();
  await expect.poll(() => page.getByTestId('backup-code').count()).toBe(10);
  await capture(page, 'backup-codes');
  await page.getByRole('button', { name: 'I have saved my backup codes' }).click();
  await page.waitForURL(/\/dashboard/);
  suite.node.clock.advance(30_000);
  return secret;
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);
}

describe('account journeys in Chromium', () => {
  it('register → verify by mail → enroll TOTP → sign out → sign in with TOTP → sign out → sign in with an emailed code', async () => {
    const address = email('journey');
    const page = await open('/');
    await page.waitForURL(/\/login/);
    await capture(page, 'login');
    await registerAndVerify(page, address);
    await signInPassword(page, address);
    remember(address, await enroll(page));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBeTruthy();
    await capture(page, 'dashboard');
    await page.goto('/security');
    await expect.poll(() => page.getByRole('button', { name: 'Change password' }).isVisible()).toBe(true);
    await capture(page, 'security');
    await signOut(page);

    await signInPassword(page, address);
    await page.getByLabel('Authenticator app').check();
    await capture(page, 'login-second-factor');
    await page.getByLabel('Authentication code').fill(totpNow((await secretOf(address))));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/dashboard/);
    suite.node.clock.advance(30_000);
    await signOut(page);

    const before = suite.node.smtp.to(address).length;
    await signInPassword(page, address);
    await page.getByLabel('Email code').check();
    await page.getByRole('button', { name: 'Send code' }).click();
    const mail = await suite.node.waitForMail(address, /sign-in code/, before);
    await page.getByLabel('Authentication code').fill(mailCode(mail.text));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/dashboard/);
  }, 120_000);

  it('forgot password → reset with the second factor → sign in with the new password', async () => {
    const address = email('reset');
    const page = await open('/register');
    await registerAndVerify(page, address);
    await signInPassword(page, address);
    const secret = await enroll(page);
    remember(address, secret);
    await signOut(page);

    await page.goto('/forgot-password');
    await capture(page, 'forgot-password');
    await page.getByLabel('Email').fill(address);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    const mail = await suite.node.waitForMail(address, /Reset your password/);
    await page.goto(linkIn(mail.text, 'reset-password'));
    await capture(page, 'reset-password');
    const newPassword = 'cobalt-meadow-thunder-58';
    await page.getByLabel('New password').fill(newPassword);
    await page.getByLabel('Authentication code').fill(totpNow(secret));
    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.waitForURL(/\/login/);
    suite.node.clock.advance(30_000);
    await signInPassword(page, address, newPassword);
    await page.getByLabel('Authentication code').fill(totpNow(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/dashboard/);
  }, 120_000);

  it('five wrong passwords → the locked page with the time it unlocks → the unlock link shows the lock and lifts it only on its button', async () => {
    const address = email('locked');
    const page = await open('/register');
    await registerAndVerify(page, address);
    for (let i = 0; i < 5; i++) {
      await signInPassword(page, address, `wrong-password-${i}-x`);
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not right/i);
    }
    await signInPassword(page, address);
    await page.waitForURL(/\/locked/);
    await expect.poll(() => page.getByTestId('locked-until').textContent()).toBeTruthy();
    await capture(page, 'locked');

    // The unlock link from the lock email: opening it shows what is locked and since when, and lifts nothing.
    const mail = await suite.node.waitForMail(address, /Your account was locked/);
    const link = linkIn(mail.text, 'unlock');
    const token = new URL(link, suite.node.url).searchParams.get('token');
    await page.goto(link);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Unlock your account?');
    await expect.poll(() => page.getByTestId('lock').textContent()).toContain(address);
    await expect.poll(() => page.getByTestId('lock').textContent()).toMatch(/Locked since.+Ends by itself/);
    await capture(page, 'unlock-ask');
    expect((await apiPost(page, '/api/auth/login', { email: address, password: PASSWORD })).status()).toBe(429);
    expect((await apiPost(page, '/api/auth/unlock/preview', { token })).status()).toBe(200);

    await page.getByRole('button', { name: 'Unlock my account' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Account unlocked');
    await capture(page, 'unlock');
    await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(/\/login\?unlocked=1/);
    await page.getByLabel('Email').fill(address);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // The password is accepted again; after so many failures the inbox confirms the sign-in first.
    await expect.poll(() => page.getByText('We emailed you a link and a code to confirm this device').count()).toBe(1);

    // Used once: the link says so, with no button.
    await page.goto(link);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Unlock failed');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not valid/i);
    expect(await page.getByRole('button', { name: 'Unlock my account' }).count()).toBe(0);
  }, 120_000);

  it('a sign-in before verifying is answered like a wrong password, with the way to verify; the link verifies only on its button', async () => {
    const address = email('early');
    const page = await open('/register');
    await page.getByLabel('Email').fill(address);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('I agree to the terms of service').check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/check-email/);

    await signInPassword(page, address);
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('The email or password is not right.');
    await expect.poll(() => page.getByTestId('verify-hint').textContent()).toMatch(/verify your email address/);
    const before = suite.node.smtp.to(address).length;
    await page.getByRole('button', { name: 'Resend verification email' }).click();
    await expect.poll(() => page.getByText(/has an account waiting to be verified/).count()).toBe(1);
    const mail = await suite.node.waitForMail(address, /Verify your email/, before);
    await capture(page, 'login-unverified');

    // Opening the link verifies nothing: a sign-in is still refused until the button is pressed.
    await page.goto(linkIn(mail.text, 'verify-email'));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Verify your email address?');
    expect((await apiPost(page, '/api/auth/login', { email: address, password: PASSWORD })).status()).toBe(401);
    await page.getByRole('button', { name: 'Verify my email address' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Email verified');
    await signInPassword(page, address);
    await page.waitForURL(/\/enroll-2fa/);
  }, 120_000);

  it('signs in using the keyboard alone', async () => {
    // Registering: every field and the button in order, with Tab. Forgetting the terms is announced
    // and focus goes to the checkbox, which Space ticks.
    const page = await open('/register');
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'h1', name: 'Create your account' });
    await tab(page, { tag: 'input', type: 'email', name: 'Email' });
    await page.keyboard.type(email('keyboard-register'));
    await tab(page, { tag: 'input', type: 'password', name: 'Password' });
    await page.keyboard.type(PASSWORD);
    await tab(page, { tag: 'button', name: 'Show' });
    await tab(page, { tag: 'input', type: 'checkbox', name: 'I agree to the terms of service' });
    await tab(page, { tag: 'a', name: 'terms of service' });
    await tab(page, { tag: 'button', type: 'submit', name: 'Create account' });
    await expect.poll(() => page.getByTestId('strength').getAttribute('data-ok')).toBe('true');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/agree to the terms/i);
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'input', type: 'checkbox', name: 'I agree to the terms of service' });
    await page.keyboard.press('Space');
    await tab(page, { tag: 'a', name: 'terms of service' });
    await tab(page, { tag: 'button', type: 'submit', name: 'Create account' });
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/check-email/);
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'h1', name: 'Check your email' });

    // A fresh verified account, made through the API from the page.
    const address = email('keyboard');
    const registered = await page.request.post('/api/auth/register', { data: { email: address, password: PASSWORD, acceptTerms: true } });
    expect(registered.status()).toBe(202);
    await verifyByLink(page, suite.node, address);

    // Signing in with a wrong password: the error is announced and focus goes back to the password.
    await page.goto('/login');
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'h1', name: 'Sign in' });
    await tab(page, { tag: 'input', type: 'email', name: 'Email' });
    await page.keyboard.type(address);
    await tab(page, { tag: 'input', type: 'password', name: 'Password' });
    await page.keyboard.type('not-the-right-password-1');
    await tab(page, { tag: 'button', name: 'Show' });
    await tab(page, { tag: 'button', type: 'submit', name: 'Sign in' });
    await page.keyboard.press('Enter');
    const announced = page.locator('[role="alert"], [aria-live="polite"], [aria-live="assertive"]').filter({ hasText: /email or password is not right/i });
    await expect.poll(() => announced.count()).toBeGreaterThan(0);
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'input', type: 'password', name: 'Password' });
    // The field is marked invalid and described by the error, so it is read again with the field.
    const passwordField = page.getByLabel('Password', { exact: true });
    expect(await passwordField.getAttribute('aria-invalid')).toBe('true');
    const alertId = await page.getByRole('alert').getAttribute('id');
    expect(alertId).toBeTruthy();
    expect((await passwordField.getAttribute('aria-describedby'))?.split(' ')).toContain(alertId);
    await capture(page, 'login-error');

    // Correcting it: typing replaces the wrong password, Enter submits.
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'input', type: 'password', name: 'Password' });
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/enroll-2fa/);
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'h1', name: 'Set up two-factor authentication' });
  }, 120_000);

  it('links the dev inbox in the footer only when the server reports one, without probing for it', async () => {
    // This node sends mail over SMTP, so /api/app-info reports no dev inbox.
    const { page } = await suite.newBrowser();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const info = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/app-info');
    await page.goto('/login');
    expect(await (await info).json()).toMatchObject({ name: expect.any(String), devInbox: null });
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'h1' });
    expect(await page.getByRole('contentinfo').getByRole('link', { name: 'Dev inbox' }).count()).toBe(0);
    expect(requested.filter((path) => path.startsWith('/dev/'))).toEqual([]);

    // With a dev inbox reported, the footer links to it.
    await page.route('**/api/app-info', (route) => route.fulfill({ json: { name: 'Bastion', devInbox: '/dev/mail' } }));
    await page.reload();
    const link = page.getByRole('contentinfo').getByRole('link', { name: 'Dev inbox' });
    await expect.poll(() => link.getAttribute('href')).toBe('/dev/mail');
  }, 60_000);

  it('runs every signed-out page under the server\'s Content-Security-Policy', async () => {
    // Every journey runs with the policy enforced; this one also checks the header on each page, and
    // any violation is a console error that fails the test.
    const { page } = await suite.newBrowser();
    const paths = ['/login', '/register', '/forgot-password', '/check-email', '/verify-email', '/reset-password', '/unlock', '/locked', '/no-such-page'];
    for (const path of paths) {
      const response = await page.goto(path);
      expect(response?.headers()['content-security-policy'], path).toMatch(/script-src 'self'/);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBeTruthy();
    }
  }, 60_000);

  it('shows a loading state while an action runs (every submit button has one: SubmitButton requires busyLabel)', async () => {
    const page = await open('/login');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/auth/login', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByLabel('Email').fill('slow@example.com');
    await page.getByLabel('Password', { exact: true }).fill('not-the-password-1');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const busy = page.getByRole('button', { name: 'Signing in…' });
    await expect.poll(() => busy.getAttribute('aria-disabled')).toBe('true');
    release();
    await expect.poll(() => page.getByRole('button', { name: 'Sign in', exact: true }).isVisible()).toBe(true);
  }, 60_000);

  it('shows a page-not-found page and serves the web app manifest', async () => {
    const page = await open('/no-such-page');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/not found/i);
    await capture(page, 'not-found');
    const manifest = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json());
    expect(manifest).toMatchObject({ name: 'Bastion', display: 'standalone' });
    expect((manifest as { icons: { sizes: string }[] }).icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  }, 60_000);
});

/** What has keyboard focus: the element's tag, input type and accessible-ish name (label or text). */
interface Focused {
  tag: string;
  type: string;
  name: string;
}

const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: 'body', type: '', name: '' };
  const labels = el.labels ? Array.from(el.labels, (label) => label.textContent).join(' ') : '';
  const name = labels || el.getAttribute('aria-label') || el.textContent || '';
  return { tag: el.tagName.toLowerCase(), type: el.getAttribute('type') ?? '', name: name.replace(/\\s+/g, ' ').trim() };
})()`;

const focused = (page: Page) => page.evaluate<Focused>(FOCUSED);

/** Presses Tab once; focus must then be on the described element. */
async function tab(page: Page, expected: Partial<Focused>): Promise<void> {
  await page.keyboard.press('Tab');
  expect(await focused(page)).toMatchObject(expected);
}

const secrets = new Map<string, string>();
function remember(address: string, secret: string) {
  secrets.set(address, secret);
}
async function secretOf(address: string): Promise<string> {
  const secret = secrets.get(address);
  if (!secret) throw new Error(`no secret remembered for ${address}`);
  return secret;
}
