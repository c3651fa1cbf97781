/**
 * Development convenience: the session secret, the codes' pepper, the audit key and the encryption
 * keyring are generated on first start and kept in DATA_DIR/secrets.json, readable by the owner
 * only (0600). Production must set them explicitly (config refuses to generate them there). A file
 * from before the codes had a pepper of their own, or the audit chain a key, gets one added.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredSecrets {
  sessionSecret: string;
  codePepper: string;
  auditKey: string;
  /** Keyring text in the ENCRYPTION_KEYS format: "id:base64key[,id:base64key…]". */
  encryptionKeys: string;
  file: string;
}

export function loadOrCreateSecrets(dataDir: string): StoredSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<Omit<StoredSecrets, 'file'>>;
    if (typeof data.sessionSecret !== 'string' || typeof data.encryptionKeys !== 'string') {
      throw new Error(`${file} is damaged: expected sessionSecret and encryptionKeys`);
    }
    if (typeof data.codePepper !== 'string' || typeof data.auditKey !== 'string') {
      data.codePepper ??= randomBytes(32).toString('base64url');
      data.auditKey ??= randomBytes(32).toString('base64url');
      writeFileSync(`${file}.tmp`, JSON.stringify(data, null, 2), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    }
    return { sessionSecret: data.sessionSecret, codePepper: data.codePepper, auditKey: data.auditKey, encryptionKeys: data.encryptionKeys, file };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const data = {
    sessionSecret: randomBytes(32).toString('base64url'),
    codePepper: randomBytes(32).toString('base64url'),
    auditKey: randomBytes(32).toString('base64url'),
    encryptionKeys: `k1:${randomBytes(32).toString('base64')}`,
  };
  // 'wx' fails if another process created the file meanwhile: never overwrite existing keys.
  writeFileSync(file, JSON.stringify(data, null, 2), { mode: 0o600, flag: 'wx' });
  return { ...data, file };
}
