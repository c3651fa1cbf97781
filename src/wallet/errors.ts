/** Every failure the wallet library reports is a WalletError with a stable machine `code`. */
export type WalletErrorCode =
  | 'invalid_mnemonic'
  | 'invalid_word_count'
  | 'invalid_entropy'
  | 'invalid_index'
  | 'invalid_path'
  | 'invalid_message'
  | 'invalid_signature'
  | 'invalid_address'
  | 'invalid_transaction'
  | 'invalid_passcode'
  | 'invalid_kdf_params'
  | 'invalid_vault'
  | 'wrong_passcode'
  | 'crypto_unavailable';

export class WalletError extends Error {
  constructor(
    readonly code: WalletErrorCode,
    message: string,
    /** Structured detail for callers (never secrets), e.g. the mnemonic validation result. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'WalletError';
  }
}

export const isWalletError = (e: unknown): e is WalletError => e instanceof WalletError;
