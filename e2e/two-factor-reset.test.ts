/**
 * Lost 2FA in real Chromium at phone size: a user whose phone is gone (a new browser, no
 * authenticator) reaches the second step, reads the self-service ways first, then opens a reset
 * request with the password, the emailed code and a selfie holding their ID; a support member
 * compares it with the verified documents and approves; the clock moves 48 hours; the user signs
 * in and enrolls a new authenticator app.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findUserByEmail } from '../src/account/users.ts';
import { SYSTEM } from '../src/audit/audit.ts';
import { decideCase } from '../src/flows/kyc/review.ts';
import { setStaffRole } from '../src/flows/staff/account-actions.ts';
import { DETAILS, photo } from '../test/kyc.ts';
import { capture } from './support/browser.ts';
import { createEnrolledAccount, mailCode, nextTotp, signInPassword } from './support/pages.ts';
import { e2eSuite } from './support/suite.ts';

const PASSWORD = 'saffron-glacier-beacon-64';
const suite = e2eSuite({ NEW_DEVICE_CONFIRMATION: 'off' });
const HOUR = 3_600_000;

const jpeg = async (name: string, options: Parameters<typeof photo>[0] = {}) => ({ name, mimeType: 'image/jpeg', buffer: await photo(options) });
const imagesLoaded = (page: Page, selector: string) =>
  page.evaluate<boolean>(`[...document.querySelectorAll(${JSON.stringify(selector)})].length > 0 && [...document.querySelectorAll(${JSON.stringify(selector)})].every((img) => img.complete && img.naturalWidth > 0)`);

/** An enrolled account whose identity documents were sent from its browser and verified by a reviewer. */
async function verifiedAccount(page: Page, address: string, reviewerId: string) {
  const account = await createEnrolledAccount(page, suite.node, address, PASSWORD);
  const [front, back, selfie] = [await photo(), await photo(), await photo({ width: 900, height: 1200 })];
  const file = (name: string, buffer: Buffer) => ({ name, mimeType: 'image/jpeg', buffer });
  const sent = await page.request.post('/api/kyc', {
    headers: { origin: suite.node.url },
    multipart: { ...DETAILS, documentFront: file('front.jpg', front), documentBack: file('back.jpg', back), selfie: file('selfie.jpg', selfie) },
  });
  expect(sent.status()).toBe(200);
  const deps = suite.node.server.deps;
  const user = (await findUserByEmail(deps.store.db, address))!;
  const kycCase = await deps.store.db.selectFrom('kyc_cases').select('id').where('user_id', '=', user.id).executeTakeFirstOrThrow();
  await decideCase(deps, { kind: 'staff', id: reviewerId }, kycCase.id, { decision: 'approve', reason: 'Document and selfie match.' }, { ip: '127.0.0.1', userAgent: 'e2e' });
  return account;
}

describe('a lost second factor in Chromium', () => {
  it('a reset request with a selfie, approved by support, carried out 48 hours later: the user enrolls a new authenticator', async () => {
    // The support member first (their id reviews the applicant's documents).
    const staff = (await suite.newBrowser()).page;
    const staffAddress = suite.email('support');
    const staffAccount = await createEnrolledAccount(staff, suite.node, staffAddress, PASSWORD);
    const deps = suite.node.server.deps;
    const staffUser = (await findUserByEmail(deps.store.db, staffAddress))!;
    await setStaffRole(deps, staffUser, 'support', { actor: SYSTEM, reason: 'e2e', client: null });

    const address = suite.email('lost-phone');
    await verifiedAccount((await suite.newBrowser()).page, address, staffUser.id);

    // A new phone: no authenticator app. The second step explains the ways that need no one first.
    const phone = (await suite.newBrowser()).page;
    await signInPassword(phone, address, PASSWORD);
    await phone.getByRole('button', { name: 'I lost access to my second factor' }).click();
    const help = phone.getByTestId('lost-factor-help');
    await expect.poll(() => help.isVisible()).toBe(true);
    const text = (await help.textContent()) ?? '';
    expect(text.indexOf('backup code')).toBeGreaterThan(-1);
    expect(text.indexOf('backup code')).toBeLessThan(text.indexOf('None of these?'));
    await capture(phone, 'login-lost-factor-help');
    await help.getByRole('link', { name: 'Request a 2FA reset' }).click();
    await phone.waitForURL(/\/2fa-reset\?email=/);
    expect(await phone.getByLabel('Email', { exact: true }).inputValue()).toBe(address);

    const before = suite.node.smtp.to(address).length;
    // The code is sent once the password is proven.
    await phone.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await phone.getByRole('button', { name: 'Send me a code' }).click();
    const codeMail = await suite.node.waitForMail(address, /Your code to request a 2FA reset/, before);
    await phone.getByLabel('Code from your email').fill(mailCode(codeMail.text));
    const selfie = phone.getByLabel('Selfie holding your ID document');
    expect(await selfie.getAttribute('capture')).toBe('user');
    await selfie.setInputFiles(await jpeg('selfie-with-id.jpg', { width: 900, height: 1200 }));
    await expect.poll(() => imagesLoaded(phone, '[data-testid="photo-selfie"] img')).toBe(true);
    await capture(phone, 'two-factor-reset-form');
    await phone.getByRole('button', { name: 'Request the reset' }).click();
    await expect.poll(() => phone.getByTestId('reset-submitted').isVisible(), { timeout: 15_000 }).toBe(true);
    await suite.node.waitForMail(address, /A request to reset your two-factor authentication/, before);
    await phone.getByRole('link', { name: 'See where your request stands' }).click();
    await expect.poll(() => phone.getByTestId('reset-status').getAttribute('data-status')).toBe('submitted');
    await capture(phone, 'two-factor-reset-status');

    // Support compares the new selfie with the verified documents, and approves.
    suite.node.clock.advance(16 * 60_000);
    await staff.goto('/staff/2fa-resets');
    await expect.poll(() => staff.getByText('Confirm it is you').count()).toBeGreaterThan(0);
    await staff.getByLabel('Code from your authenticator app').fill(nextTotp(suite.node, staffAccount.secret));
    await staff.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => staff.getByTestId('reset-request').count()).toBe(1);
    await capture(staff, 'staff-reset-queue');
    await staff.getByTestId('reset-request').getByRole('link').first().click();
    await staff.waitForURL(/\/staff\/2fa-resets\/request\?id=/);
    await expect.poll(() => imagesLoaded(staff, '[data-testid="reset-compare"] img')).toBe(true);
    expect(await staff.locator('[data-testid="reset-compare"] img').count()).toBe(4);
    await expect.poll(() => staff.getByTestId('activity-row').count()).toBeGreaterThan(0);
    await capture(staff, 'staff-reset-request');
    await staff.getByLabel('Reason (the user sees it)').fill('The selfie matches the verified ID card.');
    await staff.getByRole('button', { name: 'Approve reset' }).click();
    await expect.poll(() => staff.getByTestId('reset-state').first().getAttribute('data-state')).toBe('approved');

    // Nothing changes for 48 hours; then the next sign-in may only enroll a new factor.
    const approved = await suite.node.waitForMail(address, /Your 2FA reset was approved/, before);
    expect(approved.text).toContain("Cancel — this wasn't me");
    await signInPassword(phone, address, PASSWORD);
    await expect.poll(() => phone.getByRole('button', { name: 'I lost access to my second factor' }).count()).toBe(1);
    suite.node.clock.advance(48 * HOUR + 60_000);
    await signInPassword(phone, address, PASSWORD);
    await phone.waitForURL(/\/enroll-2fa/);
    const secret = ((await phone.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    await phone.getByLabel('Code from your authenticator app').fill(nextTotp(suite.node, secret));
    await phone.getByRole('button', { name: 'Enable two-factor authentication' }).click();
    await expect.poll(() => phone.getByTestId('backup-code').count()).toBe(10);
    await phone.getByRole('button', { name: 'I have saved my backup codes' }).click();
    await phone.waitForURL(/\/dashboard/);
    await suite.node.waitForMail(address, /Your two-factor authentication was reset/, before);
    await capture(phone, 'two-factor-reset-enrolled');
  }, 240_000);
});
