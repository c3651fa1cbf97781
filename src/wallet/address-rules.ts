/**
 * Withdrawal address rules per network. A refused address comes back with the rule it broke, as
 * a sentence a person can act on; an accepted one in its canonical form (bech32 lower case,
 * EVM EIP-55), so the same destination is always stored and compared the same way.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { base58check, bech32, bech32m } from '@scure/base';
import { checksumEthAddress } from './eth.ts';

export type WithdrawalNetwork = 'bitcoin' | 'ethereum' | 'cronos';

export type AddressCheck = { ok: true; address: string } | { ok: false; rule: string };

export interface AddressOptions {
  /** Accept Bitcoin testnet/signet addresses (tb1…, m…/n…, 2…): development only. */
  bitcoinTestnet?: boolean;
}

const NAMES: Record<WithdrawalNetwork, string> = { bitcoin: 'Bitcoin', ethereum: 'Ethereum', cronos: 'Cronos' };

const BTC_RULE =
  'A Bitcoin address is a bech32/bech32m address starting with bc1, or a base58 address starting with 1 or 3, with a valid checksum.';
const TESTNET_RULE =
  'This is a Bitcoin testnet address (tb1…, m…, n… or 2…); withdrawals go to Bitcoin mainnet addresses only.';

const BASE58_ALPHABET = /^[1-9A-HJ-NP-Za-km-z]+$/;
/** Base58Check version bytes (P2PKH, P2SH) on mainnet and testnet. */
const BASE58_VERSIONS: Record<number, 'main' | 'test'> = { 0x00: 'main', 0x05: 'main', 0x6f: 'test', 0xc4: 'test' };
const b58check = base58check(sha256);

const refuse = (rule: string): AddressCheck => ({ ok: false, rule });
const accept = (address: string): AddressCheck => ({ ok: true, address });

/**
 * Check `input` (surrounding whitespace ignored, as pasted text often has it) against `network`'s
 * address rules. Never throws for a string input.
 */
export function validateAddress(network: WithdrawalNetwork, input: string, options: AddressOptions = {}): AddressCheck {
  if (!Object.hasOwn(NAMES, network)) return refuse('Withdrawals go to Bitcoin, Ethereum or Cronos addresses only.');
  const s = typeof input === 'string' ? input.trim() : '';
  if (s === '') return refuse(`Enter a ${NAMES[network]} address: the address is empty.`);
  if (network === 'bitcoin') return bitcoinAddress(s, options.bitcoinTestnet === true);
  return evmAddress(NAMES[network], s);
}

function bitcoinAddress(s: string, testnet: boolean): AddressCheck {
  if (/^(bc|tb)1/i.test(s)) return segwitAddress(s, testnet);
  const other = otherBech32Prefix(s);
  if (other) return refuse(`This is an address for another network (it starts with ${other}1). ${BTC_RULE}`);
  if (BASE58_ALPHABET.test(s)) return base58Address(s, testnet);
  return refuse(BTC_RULE);
}

/** The prefix of a valid bech32/bech32m string that is not Bitcoin's (ltc1…, cro1…), to say so. */
function otherBech32Prefix(s: string): string | undefined {
  const lower = s.toLowerCase();
  return (bech32.decodeUnsafe(lower) ?? bech32m.decodeUnsafe(lower))?.prefix;
}

/** BIP173 (v0, bech32) and BIP350 (v1+, bech32m) segregated witness addresses. */
function segwitAddress(s: string, testnet: boolean): AddressCheck {
  const lower = s.toLowerCase();
  if (s !== lower && s !== s.toUpperCase()) {
    return refuse('A bech32 Bitcoin address is written all in lower case or all in upper case, never mixed (BIP173).');
  }
  const asBech32 = bech32.decodeUnsafe(lower);
  const asBech32m = bech32m.decodeUnsafe(lower);
  const decoded = asBech32 ?? asBech32m;
  if (!decoded) return refuse(`This Bitcoin address fails its bech32/bech32m checksum (BIP173/BIP350); check it for a typo. ${BTC_RULE}`);
  if (decoded.prefix !== 'bc' && decoded.prefix !== 'tb') return refuse(BTC_RULE);
  if (decoded.prefix === 'tb' && !testnet) return refuse(TESTNET_RULE);

  const [version, ...data] = decoded.words;
  if (version === undefined) return refuse('A segwit Bitcoin address carries a witness version and program; this one is empty.');
  if (version > 16) return refuse('A segwit Bitcoin address has a witness version from 0 to 16 (BIP173).');
  const program = bech32.fromWordsUnsafe(data);
  if (!program) return refuse('A segwit Bitcoin address must decode to whole bytes with zero padding (BIP173); this one does not.');
  const length = programLengthRule(version, program.length);
  if (length) return refuse(length);
  if (version === 0 && !asBech32) {
    return refuse('A segwit version 0 Bitcoin address (bc1q…) uses the bech32 checksum, not bech32m (BIP350).');
  }
  if (version > 0 && !asBech32m) {
    return refuse(`A segwit version ${version} Bitcoin address uses the bech32m checksum, not bech32 (BIP350).`);
  }
  // Versions 2–16 are valid BIP350 but have no spending rules yet: anyone could take what is sent there.
  if (version >= 2) return refuse(`Segwit version ${version} Bitcoin addresses have no spending rules yet (anyone could spend from them), so they cannot be withdrawn to.`);
  return accept(lower);
}

/**
 * BIP141 fixes v0 programs at 20 or 32 bytes; later versions carry 2–40. A v1 program that is not
 * a 32-byte Taproot key, and any version 2–16 program, is valid BIP350 but unencumbered (anyone can
 * spend it), so it is refused for withdrawals.
 */
function programLengthRule(version: number, n: number): string | undefined {
  const bytes = (k: number) => (k === 1 ? '1 byte' : `${k} bytes`);
  if (version === 0 && n !== 20 && n !== 32) {
    return `A segwit version 0 Bitcoin address carries a 20-byte (P2WPKH) or 32-byte (P2WSH) program; this one has ${bytes(n)}.`;
  }
  if (version === 1 && n !== 32) {
    return `A Taproot (segwit version 1) Bitcoin address carries a 32-byte key; this one has ${bytes(n)}.`;
  }
  if (n < 2 || n > 40) return `A segwit Bitcoin address carries a program of 2 to 40 bytes; this one has ${bytes(n)}.`;
  return undefined;
}

/** Legacy P2PKH (1…) and P2SH (3…): Base58Check of a version byte and a 20-byte hash. */
function base58Address(s: string, testnet: boolean): AddressCheck {
  let payload: Uint8Array;
  try {
    payload = b58check.decode(s);
  } catch {
    return refuse(`This Bitcoin address fails its base58 checksum; check it for a typo. ${BTC_RULE}`);
  }
  const kind = BASE58_VERSIONS[payload[0] ?? -1];
  if (payload.length !== 21 || !kind) return refuse(BTC_RULE);
  if (kind === 'test' && !testnet) return refuse(TESTNET_RULE);
  return accept(s);
}

/** Ethereum and Cronos share the EVM address format: 20 bytes in hex, EIP-55 mixed-case checksum. */
function evmAddress(name: string, s: string): AddressCheck {
  if (!/^0x[0-9a-fA-F]{40}$/.test(s)) {
    const pos = name === 'Cronos' ? ' (Cronos EVM; cro1… addresses of the Cronos POS chain are not accepted)' : '';
    return refuse(`A ${name} address is 0x followed by 40 hexadecimal characters (0–9, a–f)${pos}.`);
  }
  try {
    return accept(checksumEthAddress(s));
  } catch {
    return refuse(`This ${name} address mixes upper and lower case but its EIP-55 checksum is wrong.`);
  }
}
