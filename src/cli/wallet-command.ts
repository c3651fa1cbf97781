/**
 * `bastion wallet …` — the non-custodial DeFi wallet from the command line.
 *
 *   wallet new [--words 12|24]                          print a new recovery phrase
 *   wallet address --chain eth|btc [--index N] [--json] print an address
 *   wallet sign-message --chain eth|btc --message TEXT [--index N] [--base64]
 *   wallet vault encrypt [--in FILE] [--out FILE]       passcode-encrypt a phrase (JSON vault)
 *   wallet vault decrypt --in FILE                      print the phrase held in a vault
 *
 * Secrets never come from arguments (they would land in shell history and `ps`): the recovery
 * phrase is read from standard input (or `vault encrypt --in FILE`), the optional BIP39
 * passphrase from BASTION_WALLET_PASSPHRASE and the vault passcode from BASTION_WALLET_PASSCODE.
 *
 * Signatures are printed as hex: eth is the 0x-prefixed 65-byte r||s||v (EIP-191); btc is the
 * 65-byte BIP137 signature (header 39–42 for P2WPKH, then r||s) as plain hex, or base64 — the form
 * most Bitcoin wallets display and verify — with `--base64`.
 *
 * Errors: invalid input prints `error: …` to stderr and sets process.exitCode = 1 without
 * throwing. Usage errors found by commander itself (unknown option, missing value, --help) go
 * through exitOverride: the message is written to stderr, process.exitCode is set to the
 * error's exit code and the CommanderError is thrown, so the process never exits on its own.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import {
  MAX_INDEX,
  WalletError,
  assertMnemonic,
  decryptMnemonic,
  deriveBtcAccount,
  deriveEthAccount,
  encryptMnemonic,
  generateMnemonic,
  mnemonicToSeed,
  signBtcMessage,
  signBtcMessageBytes,
  signEthMessage,
  type Chain,
} from '../wallet/index.ts';

export interface WalletCommandIo {
  stdin: NodeJS.ReadableStream;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

/** A failure of the user's input, reported as "error: message" (no stack). */
class InputError extends Error {}

const MAX_STDIN = 64 * 1024;

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += buf.length;
    if (size > MAX_STDIN) throw new InputError('standard input is too large for a recovery phrase');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseIndex(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!(n <= MAX_INDEX)) throw new InputError(`--index must be an integer from 0 to ${MAX_INDEX}`);
  return n;
}

export function walletCommand(io: WalletCommandIo): Command {
  const out = (s: string) => io.stdout(s.endsWith('\n') ? s : s + '\n');
  const err = (s: string) => io.stderr(s.endsWith('\n') ? s : s + '\n');

  const readPhrase = async (): Promise<string> => {
    if ((io.stdin as { isTTY?: boolean }).isTTY) err('Enter the recovery phrase, then press Ctrl-D:');
    const text = await readStdin(io.stdin);
    if (text.trim() === '') throw new InputError('no recovery phrase on standard input');
    return assertMnemonic(text);
  };
  const seed = async (): Promise<Uint8Array> => mnemonicToSeed(await readPhrase(), io.env.BASTION_WALLET_PASSPHRASE ?? '');
  const passcode = (): string => {
    const p = io.env.BASTION_WALLET_PASSCODE;
    if (!p) throw new InputError('set the vault passcode in the BASTION_WALLET_PASSCODE environment variable');
    return p;
  };

  /** Wrap an action: report failures on stderr with a non-zero exit code instead of throwing. */
  const run =
    <A extends unknown[]>(fn: (...args: A) => Promise<void> | void) =>
    async (...args: A): Promise<void> => {
      try {
        await fn(...args);
      } catch (e) {
        if (e instanceof WalletError || e instanceof InputError) err(`error: ${e.message}`);
        else if ((e as NodeJS.ErrnoException)?.code === 'EEXIST') err(`error: ${(e as Error).message} (refusing to overwrite)`);
        else if (typeof (e as NodeJS.ErrnoException)?.code === 'string') err(`error: ${(e as Error).message}`);
        else err(`error: unexpected failure: ${(e as Error)?.message ?? String(e)}`);
        process.exitCode = 1;
      }
    };

  const wallet = new Command('wallet')
    .description('non-custodial DeFi wallet: recovery phrases, addresses, message signing, encrypted vaults')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride((e) => {
      if (e.exitCode !== 0) process.exitCode = e.exitCode;
      throw e;
    });
  // Subcommands created below inherit the output and exitOverride settings.
  const chainOption = () => new Option('--chain <chain>', 'eth (any EVM chain, incl. Cronos) or btc').choices(['eth', 'btc']).makeOptionMandatory();
  const indexOption = () => new Option('--index <n>', 'address index (last path component)').default('0');

  wallet
    .command('new')
    .description('print a new recovery phrase')
    .addOption(new Option('--words <n>', 'number of words').choices(['12', '24']).default('12'))
    .action(
      run((opts: { words: string }) => {
        out(generateMnemonic(opts.words === '24' ? 24 : 12));
        err('Write these words down and keep them offline: anyone who has them controls the funds.');
      }),
    );

  wallet
    .command('address')
    .description('print the address for the recovery phrase read from standard input')
    .addOption(chainOption())
    .addOption(indexOption())
    .option('--json', 'print chain, index, path, address and public key as JSON')
    .action(
      run(async (opts: { chain: Chain; index: string; json?: boolean }) => {
        const index = parseIndex(opts.index);
        const s = await seed();
        const account = opts.chain === 'eth' ? deriveEthAccount(s, index) : deriveBtcAccount(s, index);
        out(opts.json ? JSON.stringify(account) : account.address);
      }),
    );

  wallet
    .command('sign-message')
    .description('sign a message (EIP-191 for eth, "Bitcoin Signed Message" for btc); phrase from standard input')
    .addOption(chainOption())
    .requiredOption('--message <text>', 'the message to sign')
    .addOption(indexOption())
    .option('--base64', 'btc only: print the signature in base64 instead of hex')
    .action(
      run(async (opts: { chain: Chain; message: string; index: string; base64?: boolean }) => {
        const index = parseIndex(opts.index);
        if (opts.base64 && opts.chain !== 'btc') throw new InputError('--base64 applies to --chain btc only');
        const s = await seed();
        if (opts.chain === 'eth') out(signEthMessage(s, opts.message, index));
        else if (opts.base64) out(signBtcMessage(s, opts.message, index));
        else out(Buffer.from(signBtcMessageBytes(s, opts.message, index)).toString('hex'));
      }),
    );

  const vault = wallet.command('vault').description('passcode-encrypted storage for a recovery phrase');

  vault
    .command('encrypt')
    .description('encrypt a recovery phrase (standard input, or --in FILE) with BASTION_WALLET_PASSCODE')
    .option('--in <file>', 'read the phrase from this file instead of standard input')
    .option('--out <file>', 'write the vault JSON here (never overwrites); default: standard output')
    .action(
      run(async (opts: { in?: string; out?: string }) => {
        const code = passcode();
        const phrase = opts.in ? assertMnemonic(await readFile(opts.in, 'utf8')) : await readPhrase();
        const json = JSON.stringify(await encryptMnemonic(phrase, code), null, 2) + '\n';
        if (opts.out) {
          await writeFile(opts.out, json, { flag: 'wx', mode: 0o600 });
          err(`wrote encrypted vault to ${opts.out}`);
        } else out(json);
      }),
    );

  vault
    .command('decrypt')
    .description('print the recovery phrase held in a vault file (passcode from BASTION_WALLET_PASSCODE)')
    .requiredOption('--in <file>', 'the vault JSON file')
    .action(
      run(async (opts: { in: string }) => {
        const code = passcode();
        out(await decryptMnemonic(await readFile(opts.in, 'utf8'), code));
      }),
    );

  return wallet;
}
