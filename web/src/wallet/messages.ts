/** Human messages for wallet failures (library WalletErrors, storage and RPC errors). */
import { isWalletError } from './lib.ts';
import { RpcError } from './rpc.ts';
import { StorageUnavailableError } from './storage.ts';
import { AmountError } from './units.ts';

export function walletErrorMessage(error: unknown): string {
  if (isWalletError(error)) {
    switch (error.code) {
      case 'wrong_passcode':
        return 'That passcode is not right. Check it and try again.';
      case 'invalid_vault':
        return 'The wallet stored in this browser is damaged and cannot be opened. Remove it from this device and restore it from your recovery phrase.';
      case 'invalid_passcode':
        return 'Enter your passcode.';
      case 'crypto_unavailable':
        return 'This browser cannot encrypt the wallet (WebCrypto is unavailable). Open the page over HTTPS or on localhost.';
      case 'invalid_transaction':
        return `The transfer cannot be signed: ${error.message.replace(/^to: /, 'recipient: ')}.`;
      case 'invalid_address':
        return 'That is not a valid Ethereum address.';
      default:
        return error.message;
    }
  }
  if (error instanceof RpcError || error instanceof StorageUnavailableError || error instanceof AmountError) return error.message;
  if (error instanceof DOMException && error.name === 'QuotaExceededError') return 'This browser has no room left to store the wallet.';
  return 'Something went wrong in the wallet. Reload the page and try again.';
}
