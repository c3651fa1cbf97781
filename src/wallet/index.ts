/**
 * Bastion DeFi Wallet — non-custodial, isomorphic (browser + Node) wallet primitives.
 * No node: imports here: randomness and AES come from globalThis.crypto, the rest from noble/scure.
 */
export { WalletError, isWalletError, type WalletErrorCode } from './errors.ts';
export {
  ENGLISH_WORDLIST,
  VALID_WORD_COUNTS,
  assertMnemonic,
  entropyToMnemonic,
  generateMnemonic,
  mnemonicToEntropy,
  mnemonicToSeed,
  normalizeMnemonic,
  validateMnemonic,
  type GeneratedWordCount,
  type MnemonicValidation,
  type UnknownWord,
} from './mnemonic.ts';
export { editDistance, suggestWords } from './suggest.ts';
export {
  MAX_INDEX,
  btcPath,
  deriveExtendedKeys,
  derivePrivateKey,
  ethPath,
  pathFor,
  type Chain,
} from './derive.ts';
export {
  EVM_CHAIN_IDS,
  checksumEthAddress,
  deriveEthAccount,
  recoverEthMessageSigner,
  signEip1559Transaction,
  signEthMessage,
  verifyEthMessage,
  type DerivedAccount,
  type Eip1559Request,
  type SignedTransaction,
} from './eth.ts';
export { btcMessageHash, deriveBtcAccount, signBtcMessage, signBtcMessageBytes, verifyBtcMessage } from './btc.ts';
export {
  DEFAULT_SCRYPT,
  KDF_LIMITS,
  decryptMnemonic,
  encryptMnemonic,
  parseVault,
  type KdfParams,
  type Pbkdf2Params,
  type ScryptParams,
  type WalletVault,
} from './vault.ts';
