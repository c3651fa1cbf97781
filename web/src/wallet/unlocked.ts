/**
 * An unlocked wallet: the BIP39 seed in this tab's memory (never stored, never sent) and the
 * public addresses derived from it. `forget` overwrites the seed when the wallet locks.
 */
import { deriveBtcAccount, deriveEthAccount, mnemonicToSeed, type DerivedAccount } from './lib.ts';

export interface UnlockedWallet {
  /** 64-byte BIP39 seed. Only signing functions read it. */
  readonly seed: Uint8Array;
  readonly eth: DerivedAccount;
  readonly btc: DerivedAccount;
}

export async function openWallet(phrase: string): Promise<UnlockedWallet> {
  const seed = await mnemonicToSeed(phrase);
  return { seed, eth: deriveEthAccount(seed, 0), btc: deriveBtcAccount(seed, 0) };
}

export function forgetWallet(wallet: UnlockedWallet | null | undefined): void {
  wallet?.seed.fill(0);
}
