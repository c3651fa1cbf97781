import { describe, it, expect } from 'vitest';
import { Transaction } from 'micro-eth-signer';
import {
  EVM_CHAIN_IDS,
  checksumEthAddress,
  deriveEthAccount,
  mnemonicToSeed,
  recoverEthMessageSigner,
  signEip1559Transaction,
  signEthMessage,
  verifyEthMessage,
} from './index.ts';

const PHRASE = 'test test test test test test test test test test test junk';
const ACCOUNT0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const ACCOUNT1 = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

describe('EIP-191 personal messages', () => {
  it('signs and recovers to the derived address', async () => {
    const seed = await mnemonicToSeed(PHRASE);
    const message = 'Sign in to Bastion\nnonce: 42';
    const sig = signEthMessage(seed, message);
    expect(sig).toMatch(/^0x[0-9a-f]{130}$/);
    expect([27, 28]).toContain(parseInt(sig.slice(-2), 16));
    expect(recoverEthMessageSigner(message, sig)).toBe(deriveEthAccount(seed).address);
    expect(recoverEthMessageSigner(message, sig)).toBe(ACCOUNT0);
    expect(verifyEthMessage(message, sig, ACCOUNT0.toLowerCase())).toBe(true);
    expect(verifyEthMessage(message + '!', sig, ACCOUNT0)).toBe(false);
    expect(verifyEthMessage(message, signEthMessage(seed, message, 1), ACCOUNT1)).toBe(true);
  });

  it('rejects malformed signatures', () => {
    expect(() => recoverEthMessageSigner('x', '0x1234')).toThrow(expect.objectContaining({ code: 'invalid_signature' }));
    expect(verifyEthMessage('x', '0x1234', ACCOUNT0)).toBe(false);
  });
});

describe('EIP-1559 transactions', () => {
  it('signs a Cronos transfer whose sender recovers to the derived address', async () => {
    const seed = await mnemonicToSeed(PHRASE);
    const signed = signEip1559Transaction(seed, {
      chainId: EVM_CHAIN_IDS.cronos,
      nonce: 3,
      maxFeePerGas: 5_000_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
      gas: 21_000,
      to: ACCOUNT1.toLowerCase(),
      value: 10n ** 18n,
    });
    expect(signed.rawTransaction).toMatch(/^0x02[0-9a-f]+$/);
    expect(signed.hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(signed.from).toBe(ACCOUNT0);
    const tx = Transaction.fromHex(signed.rawTransaction);
    expect(tx.type).toBe('eip1559');
    expect(tx.sender).toBe(ACCOUNT0);
    expect(tx.hash).toBe(signed.hash);
    expect(tx.raw).toMatchObject({ chainId: 25n, nonce: 3n, gasLimit: 21000n, value: 10n ** 18n, to: ACCOUNT1 });
  });

  it('carries calldata and uses the chosen index', async () => {
    const seed = await mnemonicToSeed(PHRASE);
    const signed = signEip1559Transaction(
      seed,
      { chainId: 1, nonce: 0, maxFeePerGas: 30n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n, gas: 60_000, to: ACCOUNT0, value: 0, data: '0xa9059cbb' },
      1,
    );
    expect(Transaction.fromHex(signed.rawTransaction).sender).toBe(ACCOUNT1);
  });

  it('rejects invalid fields with a WalletError', async () => {
    const seed = await mnemonicToSeed(PHRASE);
    const base = { chainId: 1, nonce: 0, maxFeePerGas: 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n, gas: 21_000, to: ACCOUNT1, value: 0 };
    const bad = [
      { ...base, to: '0x70997970c51812dc3A010C7d01b50e0d17dc79C8' },
      { ...base, nonce: -1 },
      { ...base, maxPriorityFeePerGas: 2n * 10n ** 9n },
      { ...base, gas: 100 },
      { ...base, data: 'zz' },
    ];
    for (const req of bad) {
      expect(() => signEip1559Transaction(seed, req)).toThrow(expect.objectContaining({ code: 'invalid_transaction' }));
    }
  });

  it('checksums addresses', () => {
    expect(checksumEthAddress(ACCOUNT0.toLowerCase())).toBe(ACCOUNT0);
    expect(() => checksumEthAddress('0x123')).toThrow(expect.objectContaining({ code: 'invalid_address' }));
  });
});
