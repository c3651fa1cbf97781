/**
 * The DeFi Wallet (/wallet) in real Chromium, against a whole Bastion node, without a Bastion
 * account. Every request the pages make is recorded (URL, headers, body) and checked: none may carry
 * the recovery phrase (or its words run together), the passcode, the seed or a private key.
 * A local Hardhat chain stands in for an EVM JSON-RPC node: the page talks to a same-origin path
 * (/e2e-rpc, as the server's CSP allows only 'self' today) that the test forwards to Hardhat.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { Transaction } from 'micro-eth-signer';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ENGLISH_WORDLIST,
  btcPath,
  deriveBtcAccount,
  deriveEthAccount,
  derivePrivateKey,
  ethPath,
  mnemonicToSeed,
  suggestWords,
  validateMnemonic,
  verifyEthMessage,
} from '../src/wallet/index.ts';
import { HARDHAT_MNEMONIC, startHardhatNode, type HardhatNode } from '../test/hardhat.ts';
import { capture, launchChromium, openPage, type WatchedPage } from './support/browser.ts';
import { startE2eNode, type E2eNode } from './support/node.ts';

const PASSCODE = 'Quartz-Harbor-7319';
const RPC_PATH = '/e2e-rpc';

let node: E2eNode;
let chain: HardhatNode;
let browser: Browser;
let opened: Watched[] = [];

interface SeenRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

interface Watched extends WatchedPage {
  requests: SeenRequest[];
  /** Waits for the request records still being collected (headers are read asynchronously). */
  settle(): Promise<SeenRequest[]>;
}

beforeAll(async () => {
  [node, chain, browser] = await Promise.all([startE2eNode(), startHardhatNode(), launchChromium()]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([node?.stop(), chain?.stop()]);
});

afterEach(async () => {
  const errors = opened.flatMap((w) => w.errors).filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e));
  await Promise.all(opened.map((w) => w.context.close()));
  opened = [];
  expect(errors).toEqual([]);
});

/** A fresh browser context (its own IndexedDB and localStorage) whose every request is recorded. */
async function open(): Promise<Watched> {
  const watched = await openPage(browser, node.url);
  const requests: SeenRequest[] = [];
  const pending: Promise<void>[] = [];
  watched.context.on('request', (request) => {
    pending.push(
      (async () => {
        const headers = await request.allHeaders().catch(() => request.headers());
        const body = request.postDataBuffer()?.toString('utf8') ?? '';
        requests.push({ url: request.url(), method: request.method(), headers, body });
      })(),
    );
  });
  await watched.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: node.url });
  const result: Watched = {
    ...watched,
    requests,
    async settle() {
      await Promise.all(pending);
      return requests;
    },
  };
  opened.push(result);
  return result;
}

/** Forwards the page's same-origin JSON-RPC path to the Hardhat node. */
async function routeRpc(context: BrowserContext): Promise<void> {
  await context.route(`**${RPC_PATH}`, async (route) => {
    const request = route.request();
    const answer = await fetch(chain.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: request.postData() ?? '',
      signal: AbortSignal.timeout(10_000),
    });
    await route.fulfill({ status: answer.status, contentType: 'application/json', body: await answer.text() });
  });
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
const h1Is = (page: Page, text: RegExp) => expect.poll(() => heading(page), { timeout: 20_000 }).toMatch(text);

/** Everything that must never leave the browser, as text to look for. */
async function secretsOf(phrase: string, passcode: string): Promise<{ strings: string[]; patterns: RegExp[] }> {
  const words = phrase.split(' ');
  const seed = await mnemonicToSeed(phrase);
  const ethKey = bytesToHex(derivePrivateKey(seed, ethPath(0)));
  const btcKey = bytesToHex(derivePrivateKey(seed, btcPath(0)));
  const strings = [
    passcode,
    encodeURIComponent(passcode),
    ethKey,
    btcKey,
    bytesToHex(seed),
    Buffer.from(derivePrivateKey(seed, ethPath(0))).toString('base64'),
    ...['', ' ', '-', '_', ',', '+', '%20', '\n', '.'].map((sep) => words.join(sep)),
  ];
  // Any three consecutive words, whatever (short) separator or encoding joins them.
  const patterns = words.slice(0, -2).map((_, i) => new RegExp(words.slice(i, i + 3).join('(?:[^a-z]|%[0-9a-f]{2}){0,6}'), 'i'));
  return { strings, patterns };
}

async function expectNoSecretsSent(watched: Watched, phrase: string, passcode: string): Promise<number> {
  const requests = await watched.settle();
  const { strings, patterns } = await secretsOf(phrase, passcode);
  for (const request of requests) {
    const raw = [request.url, JSON.stringify(request.headers), request.body].join('\n');
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      // Not URL-encoded text: the raw form is checked.
    }
    for (const text of [raw, decoded, raw.toLowerCase()]) {
      for (const secret of strings) {
        if (text.toLowerCase().includes(secret.toLowerCase())) throw new Error(`${request.method} ${request.url} carries a secret`);
      }
      for (const pattern of patterns) {
        if (pattern.test(text)) throw new Error(`${request.method} ${request.url} carries recovery words (${pattern})`);
      }
    }
  }
  return requests.length;
}

async function expectedAddresses(phrase: string): Promise<{ eth: string; btc: string }> {
  const seed = await mnemonicToSeed(phrase);
  return { eth: deriveEthAccount(seed, 0).address, btc: deriveBtcAccount(seed, 0).address };
}

async function shownAddresses(page: Page): Promise<{ eth: string; btc: string }> {
  await page.getByTestId('eth-address').waitFor();
  return {
    eth: ((await page.getByTestId('eth-address').textContent()) ?? '').trim(),
    btc: ((await page.getByTestId('btc-address').textContent()) ?? '').trim(),
  };
}

async function setPasscode(page: Page, passcode: string, submit: string): Promise<void> {
  await page.getByLabel('Passcode', { exact: true }).fill(passcode);
  await page.getByLabel('Passcode again', { exact: true }).fill(`${passcode}-typo`);
  await page.getByRole('button', { name: submit }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not the same/i);
  await page.getByLabel('Passcode again', { exact: true }).fill(passcode);
  await page.getByRole('button', { name: submit }).click();
  await h1Is(page, /your wallet/i);
}

async function unlock(page: Page, passcode: string): Promise<void> {
  await page.getByLabel('Passcode', { exact: true }).fill(passcode);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

/** Restore from words typed one per field (no checks on the way: see the restore test for those). */
async function restore(page: Page, phrase: string, passcode: string): Promise<void> {
  await page.goto('/wallet');
  await page.getByRole('button', { name: 'Restore a wallet from its recovery phrase' }).click();
  await h1Is(page, /restore a wallet/i);
  const words = phrase.split(' ');
  for (const [i, word] of words.entries()) await page.getByLabel(`Word ${i + 1}`, { exact: true }).fill(word);
  await expect.poll(() => page.getByTestId('phrase-status').textContent()).toMatch(/checksum ok/i);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Passcode', { exact: true }).fill(passcode);
  await page.getByLabel('Passcode again', { exact: true }).fill(passcode);
  await page.getByRole('button', { name: 'Restore wallet' }).click();
  await h1Is(page, /your wallet/i);
}

describe('DeFi Wallet in Chromium', () => {
  it('create → confirm words → passcode → reload → unlock → sign; restore the same wallet in a fresh context; no request carries a secret', async () => {
    const first = await open();
    const { page } = first;
    await page.goto('/wallet');
    await h1Is(page, /defi wallet/i);
    expect(await page.getByRole('contentinfo').getByRole('link', { name: 'DeFi Wallet' }).getAttribute('href')).toBe('/wallet');
    await capture(page, 'wallet-welcome');

    // Create: the words are shown once.
    await page.getByRole('button', { name: 'Create a new wallet' }).click();
    await h1Is(page, /create a wallet/i);
    await page.getByTestId('recovery-word').first().waitFor();
    const words = (await page.getByTestId('recovery-word').allTextContents()).map((w) => w.trim());
    expect(words).toHaveLength(12);
    const phrase = words.join(' ');
    expect(validateMnemonic(phrase).ok).toBe(true);
    await capture(page, 'wallet-create-words');
    const next = page.getByRole('button', { name: 'Continue' });
    expect(await next.isDisabled()).toBe(true);
    await page.getByLabel('I have written down the 12 words in order.').check();
    await next.click();

    // Confirm three random words, in order; a wrong one is refused.
    const inputs = page.locator('input[data-word-position]');
    await inputs.first().waitFor();
    expect(await inputs.count()).toBe(3);
    const positions: number[] = [];
    for (let i = 0; i < 3; i++) positions.push(Number(await inputs.nth(i).getAttribute('data-word-position')));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(await page.getByTestId('recovery-word').count()).toBe(0);
    const wrong = ENGLISH_WORDLIST.find((w) => w !== words[(positions[0] ?? 1) - 1]) ?? 'abandon';
    await inputs.nth(0).fill(wrong);
    for (let i = 1; i < 3; i++) await inputs.nth(i).fill(words[(positions[i] ?? 1) - 1] ?? '');
    await page.getByRole('button', { name: 'Confirm words' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(new RegExp(`Word ${positions[0]} does not match`));
    await capture(page, 'wallet-create-confirm');
    for (let i = 0; i < 3; i++) await inputs.nth(i).fill(` ${(words[(positions[i] ?? 1) - 1] ?? '').toUpperCase()} `);
    await page.getByRole('button', { name: 'Confirm words' }).click();

    // Passcode, typed twice.
    await page.getByLabel('Passcode again', { exact: true }).waitFor();
    await capture(page, 'wallet-create-passcode');
    await setPasscode(page, PASSCODE, 'Create wallet');
    const expected = await expectedAddresses(phrase);
    expect(await shownAddresses(page)).toEqual(expected);
    expect(expected.btc).toMatch(/^bc1q/);
    expect(await page.getByRole('img', { name: 'QR code of your Ethereum address' }).getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(await page.getByRole('img', { name: 'QR code of your Bitcoin address' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Copy Ethereum address' }).click();
    await expect.poll(() => page.getByText('Copied.').count()).toBe(1);
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(expected.eth);
    await capture(page, 'wallet-unlocked');

    // Reload: locked. A wrong passcode is a clear error; the right one unlocks the same wallet.
    await page.reload();
    await h1Is(page, /unlock your wallet/i);
    await unlock(page, 'not-the-passcode');
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 }).toMatch(/passcode is not right/i);
    await capture(page, 'wallet-locked');
    await unlock(page, PASSCODE);
    await h1Is(page, /your wallet/i);
    expect(await shownAddresses(page)).toEqual(expected);

    // Sign a message (EIP-191).
    const message = `I control this address (${Date.now()})`;
    await page.getByLabel('Message', { exact: true }).fill(message);
    await page.getByRole('button', { name: 'Sign message' }).click();
    const signature = await page.getByTestId('message-signature').inputValue();
    expect(signature).toMatch(/^0x[0-9a-f]{130}$/);
    expect(verifyEthMessage(message, signature, expected.eth)).toBe(true);

    // Build and sign an EIP-1559 transfer offline (no JSON-RPC node configured).
    await page.getByLabel('Network', { exact: true }).selectOption('25');
    await page.getByLabel('Recipient address', { exact: true }).fill('0x000000000000000000000000000000000000beef');
    await page.getByLabel('Amount (CRO)', { exact: true }).fill('12.5');
    await page.getByLabel('Nonce', { exact: true }).fill('7');
    await page.getByRole('button', { name: 'Sign transfer' }).click();
    const raw = await page.getByTestId('signed-transaction').inputValue();
    const tx = Transaction.fromHex(raw);
    expect(tx.sender).toBe(expected.eth);
    expect(tx.raw).toMatchObject({ chainId: 25n, nonce: 7n, value: 12_500_000_000_000_000_000n, gasLimit: 21_000n });
    expect(String((tx.raw as { to?: unknown }).to).toLowerCase()).toBe('0x000000000000000000000000000000000000beef');
    expect(await page.getByRole('button', { name: 'Broadcast transaction' }).count()).toBe(0);
    await capture(page, 'wallet-signed-transfer');
    expect(await expectNoSecretsSent(first, phrase, PASSCODE)).toBeGreaterThan(3);

    // A fresh browser context knows nothing of the wallet: restore it from its words.
    const second = await open();
    const other = second.page;
    await other.goto('/wallet');
    await h1Is(other, /defi wallet/i);
    await other.getByRole('button', { name: 'Restore a wallet from its recovery phrase' }).click();
    await h1Is(other, /restore a wallet/i);
    expect(await other.locator('datalist option').count()).toBe(2048);
    expect(await other.getByLabel('Word 1', { exact: true }).getAttribute('list')).toBeTruthy();

    // Two words swapped: every word is known, but the checksum fails.
    const [i, j] = swappable(words);
    const swapped = [...words];
    [swapped[i], swapped[j]] = [words[j] ?? '', words[i] ?? ''];
    for (const [k, word] of swapped.entries()) await other.getByLabel(`Word ${k + 1}`, { exact: true }).fill(word);
    await expect.poll(() => other.getByTestId('phrase-status').textContent()).toMatch(/checksum does not match/i);
    await capture(other, 'wallet-restore-checksum');
    for (const [k, word] of words.entries()) await other.getByLabel(`Word ${k + 1}`, { exact: true }).fill(word);
    await expect.poll(() => other.getByTestId('phrase-status').textContent()).toMatch(/checksum ok/i);

    // A misspelt word gets suggestions; picking one fixes it. A unique 4-letter prefix completes on leaving the field.
    const { index: bad, typo } = misspelling(words);
    await other.getByLabel(`Word ${bad + 1}`, { exact: true }).fill(typo);
    await expect.poll(() => other.getByTestId('phrase-status').textContent()).toMatch(new RegExp(`Word ${bad + 1} is not in the BIP39 word list`));
    await capture(other, 'wallet-restore-suggestions');
    await other.getByRole('button', { name: `Use ${words[bad]} for word ${bad + 1}` }).click();
    const long = words.findIndex((w) => w.length > 4);
    if (long >= 0) {
      const field = other.getByLabel(`Word ${long + 1}`, { exact: true });
      await field.fill((words[long] ?? '').slice(0, 4));
      await field.press('Tab');
      expect(await field.inputValue()).toBe(words[long]);
    }
    await expect.poll(() => other.getByTestId('phrase-status').textContent()).toMatch(/checksum ok/i);
    await other.getByRole('button', { name: 'Continue' }).click();
    await setPasscode(other, 'another-local-passcode', 'Restore wallet');
    expect(await shownAddresses(other)).toEqual(expected);
    expect(await expectNoSecretsSent(second, phrase, 'another-local-passcode')).toBeGreaterThan(3);
    expect(await expectNoSecretsSent(second, phrase, PASSCODE)).toBeGreaterThan(3);

    // Remove it from this device: a warning, an explicit confirmation, then gone (also after a reload).
    await other.getByRole('button', { name: 'Remove wallet from this device' }).click();
    await expect.poll(() => other.getByTestId('remove-confirmation').textContent()).toMatch(/loses its funds/i);
    const remove = other.getByRole('button', { name: 'Remove wallet', exact: true });
    expect(await remove.isDisabled()).toBe(true);
    await capture(other, 'wallet-remove');
    await other.getByLabel(/I have my recovery phrase written down/).check();
    await remove.click();
    await h1Is(other, /defi wallet/i);
    await expect.poll(() => other.getByRole('status').first().textContent()).toMatch(/removed from this device/i);
    await other.reload();
    await h1Is(other, /defi wallet/i);
    await other.getByRole('button', { name: 'Create a new wallet' }).waitFor();
    expect(await other.getByRole('status').count()).toBe(0);

    // The first context still has its own copy.
    await page.reload();
    await h1Is(page, /unlock your wallet/i);
  }, 180_000);

  it('locks itself after 5 minutes without activity (activity resets the timer)', async () => {
    const watched = await open();
    const { page } = watched;
    await page.clock.install();
    await restore(page, HARDHAT_MNEMONIC, PASSCODE);
    expect((await shownAddresses(page)).eth).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');

    await page.clock.fastForward('04:00');
    await page.waitForTimeout(100);
    expect(await heading(page)).toMatch(/your wallet/i);
    await page.mouse.move(40, 40);
    await page.mouse.move(80, 120);
    await page.clock.fastForward('04:00');
    await page.waitForTimeout(100);
    expect(await heading(page)).toMatch(/your wallet/i);
    await page.clock.fastForward('01:05');
    await h1Is(page, /unlock your wallet/i);
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/locked itself after 5 minutes/i);
    expect(await page.getByTestId('eth-address').count()).toBe(0);

    await unlock(page, 'Quartz-Harbor-7318');
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 }).toMatch(/passcode is not right/i);
    await unlock(page, PASSCODE);
    await h1Is(page, /your wallet/i);
    await expectNoSecretsSent(watched, HARDHAT_MNEMONIC, PASSCODE);
  }, 120_000);

  it('with a JSON-RPC URL: shows the balance, fills nonce and fees, broadcasts a signed transfer the chain mines', async () => {
    const watched = await open();
    const { page, context } = watched;
    await routeRpc(context);
    await restore(page, HARDHAT_MNEMONIC, PASSCODE);
    const { eth } = await shownAddresses(page);

    await page.getByLabel('JSON-RPC URL', { exact: true }).fill('ftp://example.com');
    await page.getByRole('button', { name: 'Save URL' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/https:\/\/ or http:\/\//);
    await page.getByLabel('JSON-RPC URL', { exact: true }).fill(RPC_PATH);
    await page.getByRole('button', { name: 'Save URL' }).click();
    await expect.poll(() => page.getByTestId('eth-balance').textContent(), { timeout: 15_000 }).toMatch(/^\d+(\.\d+)? ETH$/);
    const before = Number.parseFloat((await page.getByTestId('eth-balance').textContent()) ?? '0');
    expect(before).toBeGreaterThan(1000);
    expect(await page.getByTestId('rpc-network').textContent()).toMatch(/31337/);
    expect(await page.evaluate('localStorage.getItem("bastion.wallet.rpcUrl")')).toBe(RPC_PATH);

    const recipient = '0x00000000000000000000000000000000000C0FFe'.toLowerCase();
    await page.getByLabel('Recipient address', { exact: true }).fill(recipient);
    await page.getByLabel(/^Amount/).fill('1.5');

    // Signed for the wrong chain: the page refuses to broadcast it.
    await page.getByLabel('Network', { exact: true }).selectOption('1');
    await page.getByRole('button', { name: 'Sign transfer' }).click();
    await page.getByRole('button', { name: 'Broadcast transaction' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/node is on Local development chain.*Nothing was sent/);

    await page.getByRole('button', { name: 'Fill from the network' }).click();
    await expect.poll(() => page.getByText(/Nonce and fees read from/).count()).toBe(1);
    expect(await page.getByLabel('Network', { exact: true }).inputValue()).toBe('31337');
    await page.getByRole('button', { name: 'Sign transfer' }).click();
    const raw = await page.getByTestId('signed-transaction').inputValue();
    expect(Transaction.fromHex(raw).sender).toBe(eth);
    await page.getByRole('button', { name: 'Broadcast transaction' }).click();
    await page.getByTestId('broadcast-hash').waitFor({ timeout: 15_000 });
    const hash = ((await page.getByTestId('broadcast-hash').textContent()) ?? '').trim();
    expect(hash).toBe(Transaction.fromHex(raw).hash);
    await capture(page, 'wallet-broadcast');

    const receipt = await chain.rpc<{ status: string; to: string }>('eth_getTransactionReceipt', [hash]);
    expect(receipt).toMatchObject({ status: '0x1', to: recipient });
    expect(BigInt(await chain.rpc<string>('eth_getBalance', [recipient, 'latest']))).toBe(1_500_000_000_000_000_000n);
    await expect
      .poll(async () => Number.parseFloat((await page.getByTestId('eth-balance').textContent()) ?? '0'), { timeout: 15_000 })
      .toBeLessThan(before - 1.5 + 1e-9);
    expect(await page.getByLabel('Nonce', { exact: true }).inputValue()).toBe('1');

    const requests = await watched.settle();
    const rpcBodies = requests.filter((r) => r.url.endsWith(RPC_PATH)).map((r) => JSON.parse(r.body) as { method: string });
    expect(new Set(rpcBodies.map((b) => b.method))).toEqual(
      new Set(['eth_chainId', 'eth_getBalance', 'eth_getTransactionCount', 'eth_gasPrice', 'eth_maxPriorityFeePerGas', 'eth_sendRawTransaction']),
    );
    await expectNoSecretsSent(watched, HARDHAT_MNEMONIC, PASSCODE);
  }, 120_000);
});

/** Two positions holding different words whose swap breaks the checksum (a swap keeps it 1 time in 16). */
function swappable(words: string[]): [number, number] {
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j < words.length; j++) {
      if (words[i] === words[j]) continue;
      const swapped = [...words];
      [swapped[i], swapped[j]] = [words[j] ?? '', words[i] ?? ''];
      const result = validateMnemonic(swapped.join(' '));
      if (!result.ok && result.reason === 'checksum') return [i, j];
    }
  }
  throw new Error('no swap breaks the checksum');
}

/** A word with a typo (a doubled last letter) for which the library suggests the right word. */
function misspelling(words: string[]): { index: number; typo: string } {
  for (const [index, word] of words.entries()) {
    const typo = `${word}${word.at(-1)}`;
    if (ENGLISH_WORDLIST.includes(typo) || ENGLISH_WORDLIST.some((w) => w.startsWith(typo))) continue;
    if (suggestWords(typo, ENGLISH_WORDLIST).includes(word)) return { index, typo };
  }
  throw new Error('no misspelling with a suggestion');
}
