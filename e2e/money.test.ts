/**
 * The dashboard's money in real Chromium at phone size, on a development node (reference prices,
 * throwaway deposit keys, the faucet): test money arrives, the portfolio and its chart show it, a
 * quote is confirmed within its 15 seconds, and the history lists the deposit and the trade.
 */
import { describe, expect, it } from 'vitest';
import { capture } from './support/browser.ts';
import { createEnrolledAccount } from './support/pages.ts';
import { e2eSuite } from './support/suite.ts';

const PASSWORD = 'cobalt-orchard-ferry-82';
const suite = e2eSuite({ NODE_ENV: 'development', NEW_DEVICE_CONFIRMATION: 'off' });

describe('the dashboard’s money in Chromium', () => {
  it('test money, the portfolio, a trade at a quote and the history', async () => {
    const page = (await suite.newBrowser()).page;
    await createEnrolledAccount(page, suite.node, suite.email('trader'), PASSWORD);
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

    // A withdrawal address asked for (the sign-in's strong factor still counts as step-up), confirmed
    // from the emailed link, which asks before it acts.
    const address = (await page.evaluate('fetch("/api/me").then((r) => r.json())')) as { user: { email: string } };
    const before = suite.node.smtp.to(address.user.email).length;
    const added = await page.request.post('/api/withdrawal-addresses', {
      headers: { origin: suite.node.url },
      data: { asset: 'BTC', network: 'bitcoin', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', label: 'Cold wallet' },
    });
    expect(added.status()).toBe(201);
    const mail = await suite.node.waitForMail(address.user.email, /Confirm a new withdrawal address/, before);
    const other = (await suite.newBrowser()).page;
    await other.goto(/http:\/\/localhost:\d+(\/confirm-withdrawal-address\?token=[A-Za-z0-9_-]+)/.exec(mail.text)![1]!);
    await expect.poll(() => other.getByRole('button', { name: 'Confirm this address' }).count()).toBe(1);
    await capture(other, 'confirm-withdrawal-address');
    await other.getByRole('button', { name: 'Confirm this address' }).click();
    await expect.poll(() => other.getByTestId('address-confirmed').textContent()).toMatch(/Cold wallet \(BTC\) is in your address book/);
  }, 120_000);
});
