/**
 * Envelope for secrets at rest (TOTP secrets, anti-phishing codes, KYC files, queued mail):
 * AES-256-GCM with a key from the keyring. The sealed form names the key that sealed it, so keys
 * can be rotated: the first key seals, every key in the ring opens. `context` is bound as
 * additional authenticated data, so a value copied to another row or column does not open.
 *
 * Format: "v1.<keyId>.<iv b64url>.<ciphertext b64url>.<tag b64url>"
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface Keyring {
  seal(plaintext: Buffer | string, context: string): string;
  open(sealed: string, context: string): Buffer;
  openText(sealed: string, context: string): string;
}

export function createKeyring(keys: { id: string; key: Buffer }[]): Keyring {
  const active = keys[0];
  if (!active) throw new Error('the keyring needs at least one key');
  const byId = new Map(keys.map((k) => [k.id, k.key]));

  const open = (sealed: string, context: string): Buffer => {
    const [version, keyId, iv, ciphertext, tag] = sealed.split('.');
    const key = keyId ? byId.get(keyId) : undefined;
    if (version !== 'v1' || !key || iv === undefined || ciphertext === undefined || tag === undefined) {
      throw new Error('sealed value is malformed or its key is not in the keyring');
    }
    const tagBytes = Buffer.from(tag, 'base64url');
    // The tag's length is pinned: GCM would otherwise accept a shortened tag, which is far easier to forge.
    if (tagBytes.length !== 16) throw new Error('sealed value is malformed: its authentication tag is not 16 bytes');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  };

  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', active.key, iv, { authTagLength: 16 });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return ['v1', active.id, iv.toString('base64url'), data.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open,
    openText: (sealed, context) => open(sealed, context).toString('utf8'),
  };
}
