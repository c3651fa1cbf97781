/**
 * Identity verification in real Chromium at phone size, end to end: a user takes the three photos
 * (through the file chooser that opens the camera on a phone) and submits; a support member signs
 * in, steps up when the 15-minute staff window has lapsed, opens the queue and the case (photos
 * side by side, zoom and rotate), and asks for a new selfie; the user sends only that again; staff
 * approves; the user's dashboard says "Verified". Each new page is captured (screenshots, axe-core,
 * no horizontal overflow).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../src/audit/audit.ts';
import { findUserByEmail } from '../src/account/users.ts';
import { setStaffRole } from '../src/flows/staff/account-actions.ts';
import { photo } from '../test/kyc.ts';
import { capture } from './support/browser.ts';
import { createEnrolledAccount, nextTotp } from './support/pages.ts';
import { e2eSuite } from './support/suite.ts';

const PASSWORD = 'copper-meadow-lantern-58';
const suite = e2eSuite({ NEW_DEVICE_CONFIRMATION: 'off' });

const jpeg = async (name: string, options: Parameters<typeof photo>[0] = {}) => ({ name, mimeType: 'image/jpeg', buffer: await photo(options) });

/** Every <img> in the page has loaded with real pixels. */
const imagesLoaded = (page: Page, selector: string) =>
  page.evaluate<boolean>(`[...document.querySelectorAll(${JSON.stringify(selector)})].every((img) => img.complete && img.naturalWidth > 0)`);

describe('identity verification and its review in Chromium', () => {
  it('photos taken and sent, a new selfie asked for and sent, approved: the dashboard says verified', async () => {
    const user = (await suite.newBrowser()).page;
    const address = suite.email('applicant');
    await createEnrolledAccount(user, suite.node, address, PASSWORD);
    await expect.poll(() => user.getByTestId('kyc-status').first().textContent()).toMatch(/not started/i);
    await user.getByRole('link', { name: 'Verify your identity' }).click();
    await user.waitForURL(/\/kyc/);

    await user.getByLabel('Legal name').fill('Grace Hopper');
    await user.getByLabel('Date of birth').fill('1986-12-09');
    await user.getByLabel('Country of residence').selectOption('US');
    await user.getByRole('radio', { name: 'National ID card' }).check();
    await user.getByLabel('Document number').fill('X1234567');
    await user.getByLabel('Issuing country').selectOption('US');
    // On a phone these inputs open the camera (capture): the back one for the document, the front one for the selfie.
    expect(await user.getByLabel('Front of your document').getAttribute('capture')).toBe('environment');
    expect(await user.getByLabel('Selfie').getAttribute('capture')).toBe('user');
    await user.getByLabel('Front of your document').setInputFiles(await jpeg('front.jpg', { gps: true }));
    await user.getByLabel('Back of your document').setInputFiles(await jpeg('back.jpg'));
    await user.getByLabel('Selfie').setInputFiles(await jpeg('selfie.jpg', { width: 900, height: 1200 }));
    await expect.poll(() => imagesLoaded(user, '[data-testid^="photo-"] img')).toBe(true);
    await expect.poll(() => user.locator('[data-testid^="photo-"] img').count()).toBe(3);
    // What a good photo is, said by each photo.
    expect(await user.getByText(/All four corners visible, no glare, in focus/).count()).toBe(2);
    await capture(user, 'kyc-form-filled');
    // The server's answer is held back a moment, so the upload's progress can be seen.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await user.route('**/api/kyc', async (route) => {
      await held;
      await route.continue();
    });
    await user.getByRole('button', { name: 'Send for verification' }).click();
    await expect.poll(() => user.getByRole('progressbar').count()).toBe(1);
    expect(await user.getByText(/^(Sending your documents: \d+%|Checking your photos…)$/).count()).toBe(1);
    release();
    await expect.poll(() => user.getByText('Your documents were sent. We will check them and show the result here.').count()).toBe(1);
    await expect.poll(() => user.getByTestId('kyc-status').first().getAttribute('data-status')).toBe('pending');
    await capture(user, 'kyc-pending');

    // A support member, signed in some time ago: the staff window has lapsed, so the console asks again.
    const staffAddress = suite.email('support');
    const staff = (await suite.newBrowser()).page;
    const account = await createEnrolledAccount(staff, suite.node, staffAddress, PASSWORD);
    const deps = suite.node.server.deps;
    await setStaffRole(deps, (await findUserByEmail(deps.store.db, staffAddress))!, 'support', { actor: SYSTEM, reason: 'e2e', client: null });
    await staff.reload();
    await expect.poll(() => staff.getByRole('link', { name: 'Staff console' }).count()).toBeGreaterThan(0);
    suite.node.clock.advance(16 * 60_000);
    await staff.getByRole('link', { name: 'Staff console' }).first().click();
    await expect.poll(() => staff.getByText('Confirm it is you').count()).toBeGreaterThan(0);
    await staff.getByLabel('Code from your authenticator app').fill(nextTotp(suite.node, account.secret));
    await staff.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => staff.getByRole('link', { name: 'KYC queue' }).count()).toBe(1);
    await capture(staff, 'staff-find-users');

    await staff.getByRole('link', { name: 'KYC queue' }).click();
    await expect.poll(() => staff.getByTestId('kyc-case').count()).toBe(1);
    await capture(staff, 'staff-kyc-queue');
    await staff.getByTestId('kyc-case').getByRole('link').first().click();
    await staff.waitForURL(/\/staff\/kyc\/case\?id=/);
    await expect.poll(() => staff.getByRole('figure').count()).toBe(3);
    await expect.poll(() => imagesLoaded(staff, 'figure img')).toBe(true);
    await expect.poll(() => staff.getByText('Grace Hopper').count()).toBeGreaterThan(0);
    const selfie = staff.getByRole('figure', { name: 'Selfie' });
    await selfie.getByRole('button', { name: 'Zoom in' }).click();
    await selfie.getByRole('button', { name: 'Rotate' }).click();
    expect(await selfie.locator('img').getAttribute('style')).toMatch(/rotate\(90deg\)/);
    await capture(staff, 'staff-kyc-case');
    await staff.getByLabel('Reason').fill('Your face is not fully in the picture. Please take the selfie again.');
    await staff.getByRole('checkbox', { name: 'Selfie' }).check();
    await staff.getByRole('button', { name: 'Request resubmission' }).click();
    await expect.poll(() => staff.getByTestId('kyc-outcome').textContent()).toMatch(/resubmission|again/i);

    // The user sees the reviewer's message and is asked for the selfie only.
    await suite.node.waitForMail(address, /send part of your identity verification again/);
    await user.goto('/kyc');
    await expect.poll(() => user.getByTestId('kyc-reviewer-message').textContent()).toContain('Your face is not fully in the picture');
    expect(await user.getByLabel('Front of your document').count()).toBe(0);
    expect(await user.getByLabel('Legal name').count()).toBe(0);
    await capture(user, 'kyc-resubmission');
    await user.getByLabel('Selfie').setInputFiles(await jpeg('selfie-2.jpg', { width: 1000, height: 1000 }));
    await user.getByRole('button', { name: 'Send again' }).click();
    await expect.poll(() => user.getByTestId('kyc-status').first().getAttribute('data-status')).toBe('pending');

    await staff.reload();
    await expect.poll(() => staff.getByRole('button', { name: 'Approve' }).count()).toBe(1);
    await expect.poll(() => imagesLoaded(staff, 'figure img')).toBe(true);
    await staff.getByLabel('Reason').fill('Document and selfie match.');
    await staff.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => staff.getByTestId('kyc-outcome').textContent()).toMatch(/verified|approved/i);

    await user.goto('/dashboard');
    await expect.poll(() => user.getByTestId('kyc-status').first().textContent()).toMatch(/^Verified/);
    await capture(user, 'kyc-dashboard-verified');
  }, 180_000);

  it('shows a plain user the staff-only page, and the console is never indexed', async () => {
    const page = (await suite.newBrowser()).page;
    await createEnrolledAccount(page, suite.node, suite.email('customer'), PASSWORD);
    const response = await page.goto('/staff');
    expect(response?.headers()['x-robots-tag']).toBe('noindex, nofollow');
    await expect.poll(() => page.getByTestId('staff-only').textContent()).toContain('This page is for staff only.');
    await capture(page, 'staff-only');
  }, 120_000);
});
