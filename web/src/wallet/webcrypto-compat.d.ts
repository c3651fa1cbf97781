/*
 * Type-only compatibility shim (no runtime effect). src/wallet/vault.ts is type-checked against
 * @types/node's WebCrypto types, which accept any Uint8Array. TypeScript's DOM lib (5.7+) narrows
 * BufferSource to ArrayBuffer-backed views, so the same calls fail `tsc -p web` when the web app
 * imports the library. Browsers accept these arguments at runtime; these overloads say so.
 * Delete this file once vault.ts passes Uint8Array<ArrayBuffer> values (e.g. via `new Uint8Array(x)`).
 */

interface SubtleCrypto {
  importKey(
    format: 'raw',
    keyData: Uint8Array<ArrayBufferLike>,
    algorithm: AlgorithmIdentifier,
    extractable: boolean,
    keyUsages: KeyUsage[],
  ): Promise<CryptoKey>;
  deriveBits(
    algorithm: { name: 'PBKDF2'; hash: AlgorithmIdentifier; salt: Uint8Array<ArrayBufferLike>; iterations: number },
    baseKey: CryptoKey,
    length?: number | null,
  ): Promise<ArrayBuffer>;
  decrypt(algorithm: { name: 'AES-GCM'; iv: Uint8Array<ArrayBufferLike> }, key: CryptoKey, data: Uint8Array<ArrayBufferLike>): Promise<ArrayBuffer>;
}
