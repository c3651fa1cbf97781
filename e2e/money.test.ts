/**
 * The dashboard's money in real Chromium at phone size, on a development node (reference prices,
 * throwaway deposit keys, the faucet): test money arrives, the portfolio and its chart show it, a
 * quote is confirmed within its 15 seconds, and the history lists the deposit and the trade. Then
 * a withdrawal from start to end: an address added in the address book and confirmed by email,
 * usable a day later; the withdrawal asked for, confirmed from its emailed link, sent and completed
 * by the operator. And a security hold, said on the withdraw form before anything is typed.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AddressBookBody } from '../src/contracts/withdrawal-addresses.ts';
import type { WithdrawalsBody } from '../src/contracts/withdrawals.ts';
import { fillDevelopmentPrices } from '../src/flows/custody/dev-prices.ts';
import { broadcastWithdrawal, completeWithdrawal, takeWithdrawals } from '../src/flows/custody/withdrawal-operator.ts';
import { capture } from './support/browser.ts';
import { createEnrolledAccount, linkIn, nextTotp, signInPassword } from './support/pages.ts';
import { e2eSuite } from './support/suite.ts';

const PASSWORD = 'cobalt-orchard-ferry-82';
const COLD_WALLET = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
/** The network's transaction id the operator reports (64 hex digits on bitcoin). */
const TXID = '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b';
const suite = e2eSuite({ NODE_ENV: 'development', NEW_DEVICE_CONFIRMATION: 'off' });

/** After a press that needs a fresh step-up: answers the prompt with the authenticator app if it came, until `done` shows. */
async function stepUpIfAsked(page: Page, done: Locator, secret: string): Promise<void> {
  const prompt = page.getByRole('heading', { name: 'Confirm it is you' });
  await expect.poll(async () => (await done.count()) + (await prompt.count())).toBeGreaterThan(0);
  if ((await done.count()) > 0) return;
  await page.getByLabel('Code from your authenticator app').fill(nextTotp(suite.node, secret));
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect.poll(() => done.count()).toBe(1);
}

describe('the dashboard’s money in Chromium', () => {
  it('test money, the portfolio, a trade at a quote, the history, and a withdrawal to a whitelisted address', async () => {
    const page = (await suite.newBrowser()).page;
    const account = await createEnrolledAccount(page, suite.node, suite.email('trader'), PASSWORD);
    await expect.poll(() => page.getByTestId('portfolio').isVisible()).toBe(true);
    expect(await page.getByTestId('portfolio-total').textContent()).toMatch(/\$?0(\.00)?/);

    await page.getByLabel('Test asset').selectOption('USDC');
    await page.getByRole('button', { name: 'Get test USDC' }).click();
    await expect.poll(() => page.getByTestId('balance-USDC').getByTestId('balance-available').textContent()).toMatch(/1,?000/);
    await expect.poll(() => page.getByTestId('portfolio-total').textContent()).toMatch(/1,?000\.00/);

    suite.node.clock.advance(1000); // the node's clock stands still otherwise: the trade comes after the deposit
    const trade = page.getByTestId('trade');
    await trade.getByLabel('Pay with').selectOption('USDC');
    await trade.getByLabel('Receive').selectOption('ETH');
    await trade.getByLabel('Amount to pay').fill('350');
    await trade.getByRole('button', { name: 'Get a quote' }).click();
    await expect.poll(() => page.getByTestId('quote-receive').textContent()).toMatch(/0\.0995/);
    expect(Number(await page.getByTestId('quote-countdown').getAttribute('data-seconds'))).toBeGreaterThan(0);
    await capture(page, 'dashboard-quote');
    await trade.getByRole('button', { name: 'Confirm trade' }).click();
    await expect.poll(() => page.getByTestId('trade-filled').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('balance-ETH').getByTestId('balance-available').textContent()).toMatch(/0\.0995/);
    await expect.poll(() => page.getByTestId('balance-USDC').getByTestId('balance-available').textContent()).toMatch(/650/);

    await expect.poll(() => page.getByTestId('history-entry').count()).toBe(2);
    expect(await page.getByTestId('history-entry').first().getAttribute('data-kind')).toBe('trade');
    expect(await page.getByTestId('deposit-bitcoin').getByTestId('deposit-address').textContent()).toMatch(/^bc1q[a-z0-9]{38}$/);
    await capture(page, 'dashboard-money');

    // Test BTC, for the withdrawal at the end.
    await page.getByLabel('Test asset').selectOption('BTC');
    await page.getByRole('button', { name: 'Get test BTC' }).click();
    await expect.poll(() => page.getByTestId('balance-BTC').getByTestId('balance-available').textContent()).toBe('0.05');
    // No identity verified yet: the withdraw form says so before anything is typed.
    await expect.poll(() => page.getByTestId('withdrawals-locked').textContent()).toMatch(/Verify your identity to withdraw/);

    // A withdrawal address added in the address book (the sign-in's strong factor still counts as
    // step-up), then confirmed from the emailed link, which asks before it acts.
    const book = page.getByTestId('address-book');
    let before = suite.node.smtp.to(account.address).length;
    await book.getByLabel('Asset to withdraw').selectOption('BTC');
    await book.getByLabel('Label', { exact: true }).fill('Cold wallet');
    await book.getByLabel('Address', { exact: true }).fill(COLD_WALLET);
    await book.getByRole('button', { name: 'Add address' }).click();
    await stepUpIfAsked(page, book.getByTestId('address-added'), account.secret);
    await expect.poll(() => book.getByTestId('address-added').textContent()).toMatch(/We emailed you a link to confirm “Cold wallet” \(BTC\)/);
    await expect.poll(() => book.getByTestId('address-entry').getAttribute('data-status')).toBe('unconfirmed');
    expect(await book.getByTestId('address-status').textContent()).toMatch(/Waiting for the email link/);
    const mail = await suite.node.waitForMail(account.address, /Confirm a new withdrawal address/, before);
    const other = (await suite.newBrowser()).page;
    await other.goto(linkIn(mail.text, 'confirm-withdrawal-address'));
    await expect.poll(() => other.getByRole('button', { name: 'Confirm this address' }).count()).toBe(1);
    await capture(other, 'confirm-withdrawal-address');
    await other.getByRole('button', { name: 'Confirm this address' }).click();
    await expect.poll(() => other.getByTestId('address-confirmed').textContent()).toMatch(/Cold wallet \(BTC\) is in your address book/);

    // Identity level 1 (what an approved verification gives): withdrawals are allowed, but the
    // address is in its waiting period.
    await suite.node.server.deps.store.db.updateTable('users').set({ kyc_level: 1 }).where('email', '=', account.address).execute();
    await page.reload();
    const withdraw = page.getByTestId('withdraw');
    await expect.poll(() => withdraw.getByTestId('withdraw-waiting').textContent()).toMatch(/Cold wallet is not usable yet\. Usable from /);
    expect(await page.getByTestId('withdrawals-locked').count()).toBe(0);
    await expect.poll(() => book.getByTestId('address-status').textContent()).toMatch(/^Usable from /);

    // A day later: the address is usable, and the session is over (24 hours at most), so sign in
    // again; its authenticator code counts as step-up. The reference prices of development are a day old
    // too, and the daily limit needs a current one: fill them in again, as a restart would.
    suite.node.clock.advance(24 * 60 * 60_000);
    await fillDevelopmentPrices(suite.node.server.deps);
    await page.reload();
    await page.waitForURL(/\/login/);
    await signInPassword(page, account.address, PASSWORD);
    await page.getByLabel('Authenticator app').check();
    await page.getByLabel('Authentication code').fill(nextTotp(suite.node, account.secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/dashboard/);

    const [entry] = ((await (await page.request.get('/api/withdrawal-addresses')).json()) as AddressBookBody).addresses;
    expect(entry?.status).toBe('usable');
    await expect.poll(() => withdraw.getByLabel('Send to').count()).toBe(1);
    await withdraw.getByLabel('Asset', { exact: true }).selectOption('BTC');
    await withdraw.getByLabel('Send to').selectOption(entry!.id);

    // One asked for and cancelled before its link is opened: the amount and its fee return.
    await withdraw.getByLabel('Amount', { exact: true }).fill('0.001');
    await withdraw.getByRole('button', { name: 'Withdraw', exact: true }).click();
    await stepUpIfAsked(page, page.getByTestId('withdrawal-requested'), account.secret);
    await expect.poll(() => page.getByTestId('balance-BTC').getByTestId('balance-held').textContent()).toBe('0.0012');
    const first = page.getByTestId('withdrawal').first();
    await first.getByRole('button', { name: 'Cancel the withdrawal of 0.001 BTC' }).click();
    await first.getByRole('button', { name: 'Yes, cancel it' }).click();
    await expect.poll(() => first.getAttribute('data-status')).toBe('cancelled');
    expect(await first.getByTestId('withdrawal-status').textContent()).toBe('Cancelled: you cancelled it');
    await expect.poll(() => page.getByTestId('balance-BTC').getByTestId('balance-held').textContent()).toBe('0');
    suite.node.clock.advance(1000); // the next withdrawal is the newer one

    await withdraw.getByLabel('Amount', { exact: true }).fill('0.01');
    expect(await withdraw.getByTestId('withdraw-fee').textContent()).toMatch(/Fee: 0\.0002 BTC, added on top of the amount. The smallest withdrawal is 0\.001 BTC/);
    before = suite.node.smtp.to(account.address).length;
    await withdraw.getByRole('button', { name: 'Withdraw', exact: true }).click();
    await stepUpIfAsked(page, page.getByTestId('withdrawal-requested'), account.secret);
    await expect
      .poll(() => page.getByTestId('withdrawal-requested').textContent())
      .toMatch(/Check your email\..*withdrawal of 0\.01 BTC to Cold wallet; it works for 30 minutes.*held meanwhile: 0\.0102 BTC/);
    await expect.poll(() => page.getByTestId('balance-BTC').getByTestId('balance-held').textContent()).toBe('0.0102');
    await expect.poll(() => page.getByTestId('withdrawal').first().getAttribute('data-status')).toBe('awaiting_confirmation');
    expect(await page.getByTestId('withdrawal-status').first().textContent()).toMatch(/^Waiting for your email confirmation until /);
    await capture(page, 'dashboard-withdraw');

    // The emailed link, in another browser: it asks, then queues the withdrawal.
    const confirmMail = await suite.node.waitForMail(account.address, /Confirm your withdrawal/, before);
    expect(confirmMail.subject).toMatch(/Confirm your withdrawal of 0\.01 BTC/);
    const inbox = (await suite.newBrowser()).page;
    await inbox.goto(linkIn(confirmMail.text, 'confirm-withdrawal'));
    await expect.poll(() => inbox.getByRole('button', { name: 'Confirm this withdrawal' }).count()).toBe(1);
    await capture(inbox, 'confirm-withdrawal');
    await inbox.getByRole('button', { name: 'Confirm this withdrawal' }).click();
    await expect.poll(() => inbox.getByTestId('withdrawal-confirmed').textContent()).toMatch(new RegExp(`0\\.01 BTC to ${COLD_WALLET} is queued for sending`));
    await capture(inbox, 'withdrawal-confirmed');

    // The operator takes it to be sent (no longer cancellable), sends it, and the network confirms it.
    const { withdrawals } = (await (await page.request.get('/api/withdrawals')).json()) as WithdrawalsBody;
    expect(withdrawals[0]?.status).toBe('queued');
    expect((await takeWithdrawals(suite.node.server.deps, withdrawals[0]!.id)).taken).toHaveLength(1);
    await broadcastWithdrawal(suite.node.server.deps, withdrawals[0]!.id, TXID);
    await completeWithdrawal(suite.node.server.deps, withdrawals[0]!.id);
    await page.reload();
    await expect.poll(() => page.getByTestId('withdrawal').first().getAttribute('data-status')).toBe('completed');
    expect(await page.getByTestId('withdrawal-status').first().textContent()).toBe('Completed');
    expect(await page.getByTestId('withdrawal-txid').first().textContent()).toBe(TXID);
    // 0.05 − 0.01 − the 0.0002 fee.
    await expect.poll(() => page.getByTestId('balance-BTC').getByTestId('balance-available').textContent()).toBe('0.0398');
    expect(await page.getByTestId('balance-BTC').getByTestId('balance-held').textContent()).toBe('0');
    await capture(page, 'dashboard-withdrawals');
  }, 180_000);

  it('a security hold: the withdraw form says until when and why before anything is typed', async () => {
    const page = (await suite.newBrowser()).page;
    const account = await createEnrolledAccount(page, suite.node, suite.email('held'), PASSWORD);
    await suite.node.server.deps.store.db.updateTable('users').set({ kyc_level: 1 }).where('email', '=', account.address).execute();
    // Right after the sign-in its strong factor counts as step-up.
    const changed = await page.request.put('/api/me/anti-phishing-code', { headers: { origin: suite.node.url }, data: { code: 'Blue_Falcon-7' } });
    expect(changed.status()).toBe(200);
    await page.reload();
    const locked = page.getByTestId('withdrawals-locked');
    await expect.poll(() => locked.textContent()).toMatch(/^Withdrawals unlock at .+ because your anti-phishing code was changed\.$/);
    expect(await locked.textContent()).not.toMatch(/\d{4}-\d{2}-\d{2}T/); // the time in words, not as the API writes it
    expect(await page.getByTestId('withdraw').getByLabel('Amount', { exact: true }).isDisabled()).toBe(true);
    await capture(page, 'dashboard-withdrawals-locked');
  }, 120_000);
});
