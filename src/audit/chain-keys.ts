/**
 * The audit log's keys, derived from AUDIT_KEY (a secret kept out of the database), one HKDF info
 * string each: an HMAC key for each event's MAC, written by `record()`, so an event added to the
 * database by a plain INSERT is told from one Bastion recorded; an HMAC key for the chain, so
 * whoever can write to the database cannot rewrite an event and re-chain what follows; and an
 * Ed25519 key that signs checkpoints, so a checkpoint kept in the logs proves how long the chain
 * was and where it stood (deleting its tail is caught).
 */
import { hkdfSync } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';

export interface AuditKeys {
  event: Buffer;
  chain: Buffer;
  signing: Uint8Array;
  publicKey: Uint8Array;
}

export function auditKeys(secret: string): AuditKeys {
  const derive = (info: string) => new Uint8Array(hkdfSync('sha256', secret, 'bastion audit chain', info, 32));
  const signing = derive('checkpoint signing (ed25519)');
  return {
    event: Buffer.from(derive('event mac (sha256)')),
    chain: Buffer.from(derive('chain hmac (sha256)')),
    signing,
    publicKey: ed25519.getPublicKey(signing),
  };
}
