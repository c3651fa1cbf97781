/**
 * Encrypted files at rest (identity-document photos): each file is sealed with AES-256-GCM under a
 * fresh random key of its own, and only that key, wrapped by the keyring, goes to the database.
 * Erasing the wrapped key (crypto-shredding) makes every copy of the file unreadable, backups and
 * copies of the directory included; the file is deleted too.
 *
 * On disk: "BKV1" ‖ 12-byte IV ‖ 16-byte tag ‖ ciphertext; the file id is the additional data.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Keyring } from '../crypto/encryption.ts';

const MAGIC = Buffer.from('BKV1');

export interface StoredFile {
  /** Its name under the directory (random, says nothing). */
  storageName: string;
  /** The file's key sealed by the keyring (what the database keeps). */
  keySealed: string;
}

export interface FileVault {
  /** Encrypts and writes a file; `fileId` binds the key and the content to the row that names them. */
  put(fileId: string, plaintext: Buffer): Promise<StoredFile>;
  /** Reads and decrypts; throws when the key is gone or the file was changed. */
  get(fileId: string, stored: StoredFile): Promise<Buffer>;
  /** Deletes a file (missing is fine). */
  remove(storageName: string): Promise<void>;
}

export const keyContext = (fileId: string) => `vault-file-key:${fileId}`;

export function createFileVault(directory: string, keyring: Keyring): FileVault {
  let ready: Promise<unknown> | undefined;
  const pathOf = (name: string) => {
    if (!/^[0-9a-f-]{36}\.bkv$/.test(name)) throw new Error('not a vault file name');
    return join(directory, name);
  };
  return {
    async put(fileId, plaintext) {
      await (ready ??= mkdir(directory, { recursive: true, mode: 0o700 }));
      const key = randomBytes(32);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
      cipher.setAAD(Buffer.from(fileId, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const storageName = `${randomUUID()}.bkv`;
      const path = pathOf(storageName);
      // Written whole, then renamed: a reader never sees half a file, and a failed write leaves none.
      try {
        await writeFile(`${path}.tmp`, Buffer.concat([MAGIC, iv, cipher.getAuthTag(), ciphertext]), { mode: 0o600 });
        await rename(`${path}.tmp`, path);
      } finally {
        await rm(`${path}.tmp`, { force: true });
      }
      return { storageName, keySealed: keyring.seal(key, keyContext(fileId)) };
    },
    async get(fileId, stored) {
      const key = keyring.open(stored.keySealed, keyContext(fileId));
      const data = await readFile(pathOf(stored.storageName));
      if (!data.subarray(0, 4).equals(MAGIC)) throw new Error('not a vault file');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(4, 16), { authTagLength: 16 });
      decipher.setAAD(Buffer.from(fileId, 'utf8'));
      decipher.setAuthTag(data.subarray(16, 32));
      return Buffer.concat([decipher.update(data.subarray(32)), decipher.final()]);
    },
    async remove(storageName) {
      await rm(pathOf(storageName), { force: true });
    },
  };
}
