import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { base58check, bech32, bech32m } from '@scure/base';
import { validateAddress, type AddressCheck, type WithdrawalNetwork } from './address-rules.ts';

interface BitcoinVector {
  from: string;
  address: string;
  scriptPubKey?: string;
  base58Payload?: string;
  testnet?: boolean;
  reason?: string;
  expect?: keyof typeof WHY;
  /** For a vector refused by policy: the pattern its rule must match. */
  rule?: string;
}
interface Fixture {
  bitcoin: { valid: BitcoinVector[]; refusedByPolicy: BitcoinVector[]; invalid: BitcoinVector[] };
  evm: { valid: { from: string; address: string }[]; lowercaseExample: { input: string; checksummed: string } };
}
const fx = JSON.parse(
  readFileSync(new URL('../../test/fixtures/vectors/withdrawal-addresses.json', import.meta.url), 'utf8'),
) as Fixture;

const BTC_RULE =
  'A Bitcoin address is a bech32/bech32m address starting with bc1, or a base58 address starting with 1 or 3, with a valid checksum.';

/** Which of our rules each fixture `expect` key means: the vector must be refused for that reason. */
const WHY = {
  network: /another network/,
  checksum: /fails its (bech32\/bech32m|base58) checksum/,
  version: /witness version from 0 to 16/,
  length: /this one has \d+ bytes?\./,
  mixed: /never mixed/,
  padding: /zero padding/,
  empty: /witness version and program; this one is empty/,
  bech32m: /uses the bech32m checksum, not bech32 /,
  bech32: /uses the bech32 checksum, not bech32m /,
  format: /^A Bitcoin address is a bech32\/bech32m address/,
} as const;

const ok = (address: string): AddressCheck => ({ ok: true, address });
const ruleOf = (r: AddressCheck): string => (r.ok ? `accepted as ${r.address}` : r.rule);

/** scriptPubKey of a segwit address, decoded independently of the code under test's checks. */
function segwitScript(address: string): string {
  const lower = address.toLowerCase();
  const { words } = bech32.decodeUnsafe(lower) ?? bech32m.decode(lower);
  const [version = 0, ...data] = words;
  const program = bech32.fromWords(data);
  return bytesToHex(Uint8Array.of(version === 0 ? 0 : 0x50 + version, program.length, ...program));
}

describe('Bitcoin: valid vectors (BIP173, BIP350, BIP84, Base58Check)', () => {
  it.each(fx.bitcoin.valid)('$address ($from)', (v) => {
    const canonical = /^(bc|tb)1/i.test(v.address) ? v.address.toLowerCase() : v.address;
    expect(validateAddress('bitcoin', v.address, { bitcoinTestnet: true })).toEqual(ok(canonical));
    if (v.scriptPubKey) expect(segwitScript(v.address)).toBe(v.scriptPubKey);
    if (v.base58Payload) expect(bytesToHex(base58check(sha256).decode(v.address))).toBe(v.base58Payload);
  });

  it.each(fx.bitcoin.valid.filter((v) => !v.testnet))('$address is accepted on mainnet by default', (v) => {
    expect(validateAddress('bitcoin', v.address).ok).toBe(true);
  });
});

describe('Bitcoin: invalid vectors are refused, each for its own reason', () => {
  it.each(fx.bitcoin.invalid)('$address — $reason', (v) => {
    const result = validateAddress('bitcoin', v.address, { bitcoinTestnet: true });
    expect(result.ok).toBe(false);
    expect(ruleOf(result)).toMatch(WHY[v.expect ?? 'format']);
    expect(validateAddress('bitcoin', v.address).ok).toBe(false);
  });

  it.each(fx.bitcoin.refusedByPolicy)('$address — $reason', (v) => {
    expect(ruleOf(validateAddress('bitcoin', v.address))).toMatch(new RegExp(v.rule!));
  });
});

describe('Bitcoin: testnet', () => {
  const testnet = fx.bitcoin.valid.filter((v) => v.testnet);

  it('has testnet vectors of every kind (tb1q, tb1p, m…, 2…)', () => {
    expect(testnet.map((v) => v.address.slice(0, 4).replace(/^(tb1.).*/, '$1'))).toEqual(
      expect.arrayContaining(['tb1q', 'tb1p', 'mo9n', '2N2J']),
    );
  });

  it.each(testnet)('$address is refused by default, naming the testnet rule', (v) => {
    expect(validateAddress('bitcoin', v.address)).toEqual({
      ok: false,
      rule: 'This is a Bitcoin testnet address (tb1…, m…, n… or 2…); withdrawals go to Bitcoin mainnet addresses only.',
    });
    expect(validateAddress('bitcoin', v.address, { bitcoinTestnet: false }).ok).toBe(false);
  });

  it.each(testnet)('$address is accepted with bitcoinTestnet', (v) => {
    expect(validateAddress('bitcoin', v.address, { bitcoinTestnet: true }).ok).toBe(true);
  });
});

describe('Bitcoin: case, whitespace and other shapes', () => {
  const p2wpkh = 'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu';

  it('canonicalises upper-case bech32 to lower case and refuses mixed case', () => {
    expect(validateAddress('bitcoin', p2wpkh.toUpperCase())).toEqual(ok(p2wpkh));
    const mixed = 'bc1qcr8te4kr609gcawutmrza0j4xv80jy8Z306fyu';
    expect(ruleOf(validateAddress('bitcoin', mixed))).toBe(
      'A bech32 Bitcoin address is written all in lower case or all in upper case, never mixed (BIP173).',
    );
  });

  it('keeps base58 as written (it is case-sensitive)', () => {
    expect(validateAddress('bitcoin', '1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62i')).toEqual(ok('1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62i'));
    expect(validateAddress('bitcoin', '1agna15zqxazugfiqj2i7z2dpu2j6hw62i').ok).toBe(false);
  });

  it('ignores surrounding whitespace but refuses empty and whitespace-only input', () => {
    expect(validateAddress('bitcoin', ` ${p2wpkh}\n`)).toEqual(ok(p2wpkh));
    for (const blank of ['', '   ', '\n\t']) {
      expect(validateAddress('bitcoin', blank)).toEqual({ ok: false, rule: 'Enter a Bitcoin address: the address is empty.' });
    }
  });

  it('refuses base58 payloads with a non-Bitcoin version byte or the wrong length', () => {
    const b58 = base58check(sha256);
    const hash = hexToBytes('65a16059864a2fdbc7c99a4723a8395bc6f188eb');
    const litecoin = b58.encode(Uint8Array.of(0x30, ...hash)); // Litecoin P2PKH version
    expect(validateAddress('bitcoin', litecoin)).toEqual({ ok: false, rule: BTC_RULE });
    expect(validateAddress('bitcoin', b58.encode(Uint8Array.of(0x00, ...hash.subarray(1)))).ok).toBe(false);
    expect(validateAddress('bitcoin', b58.encode(Uint8Array.of(0x05, ...hash, 0))).ok).toBe(false);
  });

  it('refuses other networks and non-addresses with the Bitcoin rule', () => {
    const ltc = bech32.encode('ltc', [0, ...bech32.toWords(hexToBytes('751e76e8199196d454941c45d1b3a323f1433bd6'))]);
    expect(ruleOf(validateAddress('bitcoin', ltc))).toBe(`This is an address for another network (it starts with ltc1). ${BTC_RULE}`);
    for (const s of ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', 'hello', 'bc1', 'bc1 qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu']) {
      expect(ruleOf(validateAddress('bitcoin', s))).toContain(BTC_RULE);
    }
  });
});

describe('EVM (Ethereum and Cronos): EIP-55', () => {
  const networks: WithdrawalNetwork[] = ['ethereum', 'cronos'];

  describe.each(networks)('%s', (network) => {
    const name = network === 'ethereum' ? 'Ethereum' : 'Cronos';

    it.each(fx.evm.valid)('$address ($from) is accepted as written', ({ address }) => {
      expect(validateAddress(network, address)).toEqual(ok(address));
    });

    it('canonicalises all-lower and all-upper hex to the EIP-55 form', () => {
      const { input, checksummed } = fx.evm.lowercaseExample;
      expect(validateAddress(network, input)).toEqual(ok(checksummed));
      expect(validateAddress(network, '0x' + input.slice(2).toUpperCase())).toEqual(ok(checksummed));
      expect(validateAddress(network, `  ${input} `)).toEqual(ok(checksummed));
    });

    it.each(fx.evm.valid.filter((v) => v.from === 'EIP-55 normal'))('$address with one letter’s case flipped is refused', ({ address }) => {
      const i = address.slice(2).search(/[a-fA-F]/) + 2;
      const c = address.charAt(i);
      const flipped = address.slice(0, i) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + address.slice(i + 1);
      expect(validateAddress(network, flipped)).toEqual({
        ok: false,
        rule: `This ${name} address mixes upper and lower case but its EIP-55 checksum is wrong.`,
      });
    });

    it.each([
      ['no 0x prefix', '5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
      ['upper-case 0X prefix', '0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
      ['39 hex characters', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe'],
      ['41 hex characters', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0'],
      ['a non-hex character', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg'],
      ['a space inside', '0x5aAeb6053F3E94C9b9A09f 33669435E7Ef1BeAed'],
      ['a Bitcoin address', 'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu'],
      ['a Cronos POS chain address', 'cro1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu'],
    ])('refuses %s', (_why, input) => {
      expect(ruleOf(validateAddress(network, input))).toMatch(
        new RegExp(`^A ${name} address is 0x followed by 40 hexadecimal characters`),
      );
    });

    it('refuses empty and whitespace-only input', () => {
      for (const blank of ['', ' ', '\r\n']) {
        expect(validateAddress(network, blank)).toEqual({ ok: false, rule: `Enter a ${name} address: the address is empty.` });
      }
    });
  });

  it('says Cronos means Cronos EVM', () => {
    expect(ruleOf(validateAddress('cronos', 'cro1xyz'))).toContain('cro1… addresses of the Cronos POS chain are not accepted');
  });
});

it('refuses an unknown network instead of throwing', () => {
  expect(validateAddress('dogecoin' as WithdrawalNetwork, 'DH5yaieqoZN36fDVciNyRueRGvGLR3mr7L')).toEqual({
    ok: false,
    rule: 'Withdrawals go to Bitcoin, Ethereum or Cronos addresses only.',
  });
});
