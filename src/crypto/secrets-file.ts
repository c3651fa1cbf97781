/**
 * Development convenience: the session secret and the encryption keyring are generated on first
 * start and kept in DATA_DIR/secrets.json, readable by the owner only (0600). Production must set
 * them explicitly (config refuses to generate them there).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredSecrets {
  sessionSecret: string;
  /** Keyring text in the ENCRYPTION_KEYS format: "id:base64key[,id:base64key…]". */
  encryptionKeys: string;
  file: string;
}

export function loadOrCreateSecrets(dataDir: string): StoredSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    const data = JSON.parse(readFileSync(file, 'utf8')) as Omit<StoredSecrets, 'file'>;
    if (typeof data.sessionSecret !== 'string' || typeof data.encryptionKeys !== 'string') {
      throw new Error(`${file} is damaged: expected sessionSecret and encryptionKeys`);
    }
    return { ...data, file };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const data = {
    sessionSecret: randomBytes(32).toString('base64url'),
    encryptionKeys: `k1:${randomBytes(32).toString('base64')}`,
  };
  // 'wx' fails if another process created the file meanwhile: never overwrite existing keys.
  writeFileSync(file, JSON.stringify(data, null, 2), { mode: 0o600, flag: 'wx' });
  return { ...data, file };
}
