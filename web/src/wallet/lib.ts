/**
 * The one door from the web app to the wallet library (src/wallet: pure, isomorphic TypeScript,
 * no Node modules). Everything secret it handles stays in this tab's memory.
 */
export {
  ENGLISH_WORDLIST,
  VALID_WORD_COUNTS,
  checksumEthAddress,
  decryptMnemonic,
  deriveBtcAccount,
  deriveEthAccount,
  encryptMnemonic,
  generateMnemonic,
  isWalletError,
  mnemonicToSeed,
  normalizeMnemonic,
  parseVault,
  signEip1559Transaction,
  signEthMessage,
  suggestWords,
  validateMnemonic,
  type DerivedAccount,
  type MnemonicValidation,
  type SignedTransaction,
  type WalletVault,
} from '../../../src/wallet/index.ts';
