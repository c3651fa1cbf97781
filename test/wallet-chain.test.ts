/**
 * The wallet library against a real EVM chain: Hardhat's local node (offline, 127.0.0.1 only).
 * Account 0 of the Hardhat phrase, derived by our library, signs an EIP-1559 transfer that the node
 * accepts, mines and applies.
 */
import { Transaction } from 'micro-eth-signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveEthAccount, mnemonicToSeed, signEip1559Transaction, signEthMessage, verifyEthMessage } from '../src/wallet/index.ts';
import { HARDHAT_CHAIN_ID, HARDHAT_MNEMONIC, startHardhatNode, type HardhatNode } from './hardhat.ts';

/** Hardhat's well-known account 0 and 1 (m/44'/60'/0'/0/0 and /1 of the Hardhat phrase). */
const ACCOUNT0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const ACCOUNT1 = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const ONE_ETHER = 10n ** 18n;

interface Receipt {
  status: string;
  transactionHash: string;
  from: string;
  to: string;
  blockNumber: string;
  gasUsed: string;
  effectiveGasPrice: string;
}

let node: HardhatNode;
let seed: Uint8Array;

beforeAll(async () => {
  node = await startHardhatNode();
  seed = await mnemonicToSeed(HARDHAT_MNEMONIC);
}, 60_000);

afterAll(async () => {
  await node?.stop();
});

async function receiptOf(hash: string, timeoutMs = 10_000): Promise<Receipt> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const receipt = await node.rpc<Receipt | null>('eth_getTransactionReceipt', [hash]);
    if (receipt) return receipt;
    if (Date.now() > deadline) throw new Error(`no receipt for ${hash} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const balanceOf = async (address: string) => BigInt(await node.rpc<string>('eth_getBalance', [address, 'latest']));

describe('wallet library on a real chain (Hardhat node)', () => {
  it('derives the funded Hardhat accounts', async () => {
    expect(deriveEthAccount(seed, 0).address).toBe(ACCOUNT0);
    expect(deriveEthAccount(seed, 1).address).toBe(ACCOUNT1);
    expect(Number(await node.rpc<string>('eth_chainId'))).toBe(HARDHAT_CHAIN_ID);
    const accounts = await node.rpc<string[]>('eth_accounts');
    expect(accounts.map((a) => a.toLowerCase())).toContain(ACCOUNT0.toLowerCase());
    expect(await balanceOf(ACCOUNT0)).toBeGreaterThan(1000n * ONE_ETHER);
  });

  it('signs an EIP-1559 transfer that the node accepts, mines (status 0x1) and applies to the balances', async () => {
    const from = deriveEthAccount(seed, 0).address;
    const recipient = '0x000000000000000000000000000000000000bEEF';
    const value = 1_234_500_000_000_000_000n; // 1.2345 ETH
    const before = await balanceOf(recipient);
    const senderBefore = await balanceOf(from);
    const nonce = BigInt(await node.rpc<string>('eth_getTransactionCount', [from, 'pending']));
    const block = await node.rpc<{ baseFeePerGas: string }>('eth_getBlockByNumber', ['latest', false]);
    const maxPriorityFeePerGas = 1_000_000_000n;
    const maxFeePerGas = BigInt(block.baseFeePerGas) * 2n + maxPriorityFeePerGas;

    const signed = signEip1559Transaction(seed, {
      chainId: HARDHAT_CHAIN_ID,
      nonce,
      maxFeePerGas,
      maxPriorityFeePerGas,
      gas: 21_000,
      to: recipient,
      value,
    });
    expect(signed.from).toBe(from);
    expect(Transaction.fromHex(signed.rawTransaction).sender).toBe(from);

    const hash = await node.rpc<string>('eth_sendRawTransaction', [signed.rawTransaction]);
    expect(hash).toBe(signed.hash);

    const receipt = await receiptOf(hash);
    expect(receipt.status).toBe('0x1');
    expect(receipt.from.toLowerCase()).toBe(from.toLowerCase());
    expect(receipt.to.toLowerCase()).toBe(recipient.toLowerCase());
    expect(BigInt(receipt.gasUsed)).toBe(21_000n);

    expect(await balanceOf(recipient)).toBe(before + value);
    const fee = BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice);
    expect(await balanceOf(from)).toBe(senderBefore - value - fee);
    expect(BigInt(await node.rpc<string>('eth_getTransactionCount', [from, 'latest']))).toBe(nonce + 1n);

    const mined = await node.rpc<{ hash: string; type: string; chainId: string; value: string }>('eth_getTransactionByHash', [hash]);
    expect(mined).toMatchObject({ hash, type: '0x2', chainId: '0x7a69' });
    expect(BigInt(mined.value)).toBe(value);
  });

  it('refuses a replay of the same signed transaction (nonce already used)', async () => {
    const from = deriveEthAccount(seed, 0).address;
    const nonce = BigInt(await node.rpc<string>('eth_getTransactionCount', [from, 'pending']));
    const signed = signEip1559Transaction(seed, {
      chainId: HARDHAT_CHAIN_ID,
      nonce,
      maxFeePerGas: 10_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
      gas: 21_000,
      to: ACCOUNT1,
      value: ONE_ETHER,
    });
    const hash = await node.rpc<string>('eth_sendRawTransaction', [signed.rawTransaction]);
    expect((await receiptOf(hash)).status).toBe('0x1');
    await expect(node.rpc('eth_sendRawTransaction', [signed.rawTransaction])).rejects.toThrow(/nonce|known/i);
  });

  it('a transfer signed for another chain id is rejected by the node', async () => {
    const from = deriveEthAccount(seed, 0).address;
    const nonce = BigInt(await node.rpc<string>('eth_getTransactionCount', [from, 'pending']));
    const signed = signEip1559Transaction(seed, {
      chainId: 25,
      nonce,
      maxFeePerGas: 10_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
      gas: 21_000,
      to: ACCOUNT1,
      value: 1n,
    });
    await expect(node.rpc('eth_sendRawTransaction', [signed.rawTransaction])).rejects.toThrow(/chain/i);
  });

  it("an EIP-191 signature from the library and the node's own personal_sign both prove account 0", async () => {
    const message = 'Bastion wallet on Hardhat';
    // Signatures are hedged (extra randomness in the nonce), so compare what they prove, not the bytes.
    const ours = signEthMessage(seed, message);
    const hex = `0x${Buffer.from(message, 'utf8').toString('hex')}`;
    const theirs = await node.rpc<string>('personal_sign', [hex, ACCOUNT0]);
    expect(verifyEthMessage(message, ours, ACCOUNT0)).toBe(true);
    expect(verifyEthMessage(message, theirs, ACCOUNT0)).toBe(true);
    expect(verifyEthMessage(message, ours, ACCOUNT1)).toBe(false);
  });
});
