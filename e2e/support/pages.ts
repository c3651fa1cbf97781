/** Steps many journeys share, done the way a person would in the web app. */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { decodeBase32, totp } from '../../src/factors/totp/otp.ts';
import type { E2eNode } from './node.ts';

/** The path and token of an emailed link to `path` (e.g. "verify-email"). */
export const linkIn = (text: string, path: string) => new RegExp(`http://localhost:\\d+(/${path}\\?token=[A-Za-z0-9_-]+)`).exec(text)?.[1] ?? '';

/** The 6-digit code on its own indented line of an email. */
export const mailCode = (text: string) => /^\s{4}(\d{6})$/m.exec(text)?.[1] ?? '';

/** Opens the emailed verification link and presses its button (the page does nothing on load). */
export async function verifyByLink(page: Page, node: E2eNode, address: string): Promise<void> {
  const mail = await node.waitForMail(address, /Verify your email/);
  await page.goto(linkIn(mail.text, 'verify-email'));
  await page.getByRole('button', { name: 'Verify my email address' }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Email verified');
}

/** Creates an account on /register and verifies it with the emailed link. */
export async function registerAndVerify(page: Page, node: E2eNode, address: string, password: string): Promise<void> {
  await page.goto('/register');
  await page.getByLabel('Email').fill(address);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('I agree to the terms of service').check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/check-email/);
  await verifyByLink(page, node, address);
}

/** Fills in step 1 of /login and submits it. */
export async function signInPassword(page: Page, address: string, password: string): Promise<void> {
  await page.goto('/login');
  await submitPassword(page, address, password);
}

/** Submits step 1 on the /login page the browser is on (one another page sent it to). */
export async function submitPassword(page: Page, address: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(address);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** A TOTP code for a step the account has not used yet (a code is accepted once, never an older step). */
export function nextTotp(node: E2eNode, secret: string): string {
  node.clock.advance(30_000);
  return totp(decodeBase32(secret), node.clock.now());
}

export interface EnrolledAccount {
  address: string;
  secret: string;
}

/** Register, verify by the emailed link, sign in and enroll TOTP: ends on /dashboard, this browser a known device. */
export async function createEnrolledAccount(page: Page, node: E2eNode, address: string, password: string): Promise<EnrolledAccount> {
  await registerAndVerify(page, node, address, password);
  await signInPassword(page, address, password);
  const secret = await enrollAuthenticator(page, node);
  await page.waitForURL(/\/dashboard/);
  return { address, secret };
}

/** On /enroll-2fa (a first sign-in): adds the authenticator app, saves the backup codes; returns its secret. */
export async function enrollAuthenticator(page: Page, node: E2eNode): Promise<string> {
  await page.waitForURL(/\/enroll-2fa/);
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel('Code from your authenticator app').fill(nextTotp(node, secret));
  await page.getByRole('button', { name: 'Enable two-factor authentication' }).click();
  await expect.poll(() => page.getByTestId('backup-code').count()).toBe(10);
  await page.getByRole('button', { name: 'I have saved my backup codes' }).click();
  return secret;
}
