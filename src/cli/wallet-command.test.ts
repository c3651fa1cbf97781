import { describe, it, expect, afterEach, beforeAll, afterAll } from 'vitest';
import { Readable } from 'node:stream';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { walletCommand } from './wallet-command.ts';
import { recoverEthMessageSigner, validateMnemonic, verifyBtcMessage } from '../wallet/index.ts';

const HARDHAT = 'test test test test test test test test test test test junk';
const ABANDON = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

async function run(args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
  let stdout = '';
  let stderr = '';
  const cmd = walletCommand({
    stdin: Readable.from(opts.stdin === undefined ? [] : [opts.stdin]),
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: opts.env ?? {},
  });
  let thrown: unknown;
  try {
    await cmd.parseAsync(args, { from: 'user' });
  } catch (e) {
    thrown = e;
  }
  const exitCode = process.exitCode ?? 0;
  process.exitCode = 0;
  return { stdout, stderr, exitCode, thrown };
}

afterEach(() => {
  process.exitCode = 0;
});

describe('wallet new', () => {
  it.each([
    [[], 12],
    [['--words', '24'], 24],
  ] as const)('%j prints a valid %i-word phrase', async (extra, n) => {
    const r = await run(['new', ...extra]);
    expect(r.exitCode).toBe(0);
    const phrase = r.stdout.trim();
    expect(phrase.split(' ')).toHaveLength(n);
    expect(validateMnemonic(phrase).ok).toBe(true);
    expect(r.stderr).toContain('Write these words down');
  });

  it('rejects other word counts as a usage error', async () => {
    const r = await run(['new', '--words', '13']);
    expect(r.thrown).toBeInstanceOf(CommanderError);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('--words');
  });
});

describe('wallet address', () => {
  it('prints the EVM address for the phrase on stdin', async () => {
    const r = await run(['address', '--chain', 'eth'], { stdin: `  ${HARDHAT}\n` });
    expect(r).toMatchObject({ stdout: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n', exitCode: 0 });
    const r1 = await run(['address', '--chain', 'eth', '--index', '1'], { stdin: HARDHAT });
    expect(r1.stdout).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8\n');
  });

  it('prints the BIP84 address and, with --json, the path and public key', async () => {
    const r = await run(['address', '--chain', 'btc'], { stdin: ABANDON });
    expect(r.stdout).toBe('bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu\n');
    const j = await run(['address', '--chain', 'btc', '--json'], { stdin: ABANDON });
    expect(JSON.parse(j.stdout)).toMatchObject({ chain: 'btc', index: 0, path: "m/84'/0'/0'/0/0", publicKey: expect.stringMatching(/^0[23]/) });
  });

  it('uses BASTION_WALLET_PASSPHRASE', async () => {
    const r = await run(['address', '--chain', 'eth'], { stdin: HARDHAT, env: { BASTION_WALLET_PASSPHRASE: 'extra' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n');
  });

  it('explains an invalid phrase with suggestions', async () => {
    const r = await run(['address', '--chain', 'eth'], { stdin: HARDHAT.replace('junk', 'junc') });
    expect(r.exitCode).toBe(1);
    expect(r.thrown).toBeUndefined();
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/error: .*"junc".*did you mean.*junk/);
  });

  it('reports a bad checksum, empty stdin and a bad index', async () => {
    expect((await run(['address', '--chain', 'eth'], { stdin: ABANDON.replace('about', 'abandon') })).stderr).toContain('checksum');
    expect((await run(['address', '--chain', 'eth'], { stdin: '' })).stderr).toContain('no recovery phrase');
    const bad = await run(['address', '--chain', 'eth', '--index', '-3'], { stdin: HARDHAT });
    expect(bad.exitCode).not.toBe(0);
  });

  it('never takes the phrase as an argument', async () => {
    const r = await run(['address', '--chain', 'eth', ...HARDHAT.split(' ')]);
    expect(r.thrown).toBeInstanceOf(CommanderError);
    expect(r.exitCode).not.toBe(0);
  });

  it('rejects an unknown chain', async () => {
    const r = await run(['address', '--chain', 'doge'], { stdin: HARDHAT });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('doge');
  });
});

describe('wallet sign-message', () => {
  it('prints an EIP-191 signature in hex', async () => {
    const r = await run(['sign-message', '--chain', 'eth', '--message', 'hello bastion'], { stdin: HARDHAT });
    expect(r.exitCode).toBe(0);
    const sig = r.stdout.trim();
    expect(sig).toMatch(/^0x[0-9a-f]{130}$/);
    expect(recoverEthMessageSigner('hello bastion', sig)).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
  });

  it('prints a Bitcoin message signature in hex, or base64 with --base64', async () => {
    const address = 'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu';
    const hex = (await run(['sign-message', '--chain', 'btc', '--message', 'hi'], { stdin: ABANDON })).stdout.trim();
    expect(hex).toMatch(/^(27|28|29|2a)[0-9a-f]{128}$/);
    expect(verifyBtcMessage('hi', hex, address)).toBe(true);
    const b64 = (await run(['sign-message', '--chain', 'btc', '--message', 'hi', '--base64'], { stdin: ABANDON })).stdout.trim();
    expect(Buffer.from(b64, 'base64').toString('hex')).toBe(hex);
    expect(verifyBtcMessage('hi', b64, address)).toBe(true);
  });

  it('requires --message', async () => {
    const r = await run(['sign-message', '--chain', 'eth'], { stdin: HARDHAT });
    expect(r.thrown).toBeInstanceOf(CommanderError);
    expect(r.stderr).toContain('--message');
  });
});

describe('wallet vault', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bastion-wallet-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const env = { BASTION_WALLET_PASSCODE: 'open sesame 42' };

  it('encrypts stdin to a file and decrypts it back', async () => {
    const file = join(dir, 'vault.json');
    const enc = await run(['vault', 'encrypt', '--out', file], { stdin: ABANDON, env });
    expect(enc.exitCode).toBe(0);
    const vault = JSON.parse(await readFile(file, 'utf8'));
    expect(vault).toMatchObject({ version: 1, cipher: 'aes-256-gcm', kdf: { name: 'scrypt', N: 131072, r: 8, p: 1 } });
    expect(JSON.stringify(vault)).not.toContain('abandon');

    const dec = await run(['vault', 'decrypt', '--in', file], { env });
    expect(dec).toMatchObject({ stdout: ABANDON + '\n', exitCode: 0 });

    const wrong = await run(['vault', 'decrypt', '--in', file], { env: { BASTION_WALLET_PASSCODE: 'nope' } });
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toContain('wrong passcode');

    const again = await run(['vault', 'encrypt', '--out', file], { stdin: ABANDON, env });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('refusing to overwrite');
  });

  it('reads the phrase from --in and prints the vault when --out is omitted', async () => {
    const phraseFile = join(dir, 'phrase.txt');
    await writeFile(phraseFile, HARDHAT + '\n');
    const enc = await run(['vault', 'encrypt', '--in', phraseFile], { env });
    expect(enc.exitCode).toBe(0);
    const vaultFile = join(dir, 'printed.json');
    await writeFile(vaultFile, enc.stdout);
    expect((await run(['vault', 'decrypt', '--in', vaultFile], { env })).stdout).toBe(HARDHAT + '\n');
  });

  it('needs a passcode and a valid vault', async () => {
    const noCode = await run(['vault', 'encrypt'], { stdin: ABANDON });
    expect(noCode.exitCode).toBe(1);
    expect(noCode.stderr).toContain('BASTION_WALLET_PASSCODE');

    const junk = join(dir, 'junk.json');
    await writeFile(junk, '{"version":1}');
    const bad = await run(['vault', 'decrypt', '--in', junk], { env });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('error:');

    const missing = await run(['vault', 'decrypt', '--in', join(dir, 'nope.json')], { env });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('ENOENT');
  });
});
