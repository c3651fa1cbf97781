/**
 * Ethereum/EVM (incl. Cronos): EIP-55 addresses, EIP-191 personal messages and EIP-1559
 * transactions. Keys come from the BIP44 path m/44'/60'/0'/0/i.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { addr, eip191Signer, Transaction } from 'micro-eth-signer';
import { WalletError } from './errors.ts';
import { derivePrivateKey, ethPath } from './derive.ts';

/** Chain ids for convenience; any EIP-155 chain id works. */
export const EVM_CHAIN_IDS = { ethereum: 1n, cronos: 25n, cronosTestnet: 338n } as const;

export interface DerivedAccount {
  chain: 'eth' | 'btc';
  index: number;
  path: string;
  address: string;
  /** Compressed SEC1 public key (33 bytes), hex without 0x. */
  publicKey: string;
}

const SIGNATURE_RE = /^0x[0-9a-fA-F]{130}$/;

export function deriveEthAccount(seed: Uint8Array, index = 0): DerivedAccount {
  const path = ethPath(index);
  const key = derivePrivateKey(seed, path);
  return {
    chain: 'eth',
    index,
    path,
    address: addr.fromPrivateKey(key),
    publicKey: bytesToHex(secp256k1.getPublicKey(key, true)),
  };
}

/** EIP-55 form of an address; throws invalid_address if malformed or its mixed case is a bad checksum. */
export function checksumEthAddress(address: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new WalletError('invalid_address', 'not an Ethereum address');
  const body = address.slice(2);
  const mixed = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (mixed && !addr.isValid(address)) throw new WalletError('invalid_address', 'the address checksum (EIP-55) does not match');
  return addr.addChecksum(address.toLowerCase());
}

/** EIP-191 personal_sign: 0x-prefixed 65-byte r||s||v hex, v = 27 or 28. */
export function signEthMessage(seed: Uint8Array, message: string | Uint8Array, index = 0): string {
  return eip191Signer.sign(message, derivePrivateKey(seed, ethPath(index)));
}

/** The EIP-55 address that produced an EIP-191 signature. */
export function recoverEthMessageSigner(message: string | Uint8Array, signature: string): string {
  if (!SIGNATURE_RE.test(signature)) throw new WalletError('invalid_signature', 'expected 0x + 65 bytes of hex');
  try {
    return eip191Signer.recoverAddress(signature, message);
  } catch (e) {
    throw new WalletError('invalid_signature', `cannot recover a signer: ${(e as Error).message}`);
  }
}

export function verifyEthMessage(message: string | Uint8Array, signature: string, address: string): boolean {
  const expected = checksumEthAddress(address);
  try {
    return recoverEthMessageSigner(message, signature) === expected;
  } catch {
    return false;
  }
}

export interface Eip1559Request {
  chainId: bigint | number;
  nonce: bigint | number;
  maxFeePerGas: bigint | number;
  maxPriorityFeePerGas: bigint | number;
  /** Gas limit. */
  gas: bigint | number;
  /** Recipient; all-lowercase is accepted, mixed case must be a valid EIP-55 checksum. */
  to: string;
  value: bigint | number;
  /** Calldata hex (0x…); empty by default. */
  data?: string;
}

export interface SignedTransaction {
  /** 0x-prefixed EIP-2718 typed transaction, ready for eth_sendRawTransaction. */
  rawTransaction: string;
  /** 0x-prefixed keccak256 transaction hash. */
  hash: string;
  from: string;
}

function big(name: string, v: bigint | number): bigint {
  if (typeof v === 'number' && !Number.isSafeInteger(v)) {
    throw new WalletError('invalid_transaction', `${name} must be an integer`);
  }
  const b = BigInt(v);
  if (b < 0n) throw new WalletError('invalid_transaction', `${name} must not be negative`);
  return b;
}

/** Sign an EIP-1559 (type 2) transaction with the key at m/44'/60'/0'/0/index. */
export function signEip1559Transaction(seed: Uint8Array, req: Eip1559Request, index = 0): SignedTransaction {
  let to: string;
  try {
    to = checksumEthAddress(req.to);
  } catch (e) {
    throw new WalletError('invalid_transaction', `to: ${(e as Error).message}`);
  }
  const data = req.data ?? '';
  if (data !== '' && !/^0x([0-9a-fA-F]{2})*$/.test(data)) {
    throw new WalletError('invalid_transaction', 'data must be 0x-prefixed hex bytes');
  }
  const key = derivePrivateKey(seed, ethPath(index));
  try {
    const tx = Transaction.prepare({
      type: 'eip1559',
      chainId: big('chainId', req.chainId),
      nonce: big('nonce', req.nonce),
      maxFeePerGas: big('maxFeePerGas', req.maxFeePerGas),
      maxPriorityFeePerGas: big('maxPriorityFeePerGas', req.maxPriorityFeePerGas),
      gasLimit: big('gas', req.gas),
      to,
      value: big('value', req.value),
      data,
      accessList: [],
    }).signBy(key);
    return { rawTransaction: tx.toHex(), hash: tx.hash, from: tx.sender };
  } catch (e) {
    if (e instanceof WalletError) throw e;
    throw new WalletError('invalid_transaction', `invalid transaction: ${(e as Error).message}`);
  }
}
