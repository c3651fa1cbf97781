/**
 * A checkpoint: the chain's head (position and hash) signed with the audit key, written to the log
 * at every seal (audit/seal.ts). Kept outside the database, it is what `bastion audit verify
 * --checkpoint` holds the chain to: an entry removed from the tail, or a chain rewritten from some
 * entry on, no longer reaches it.
 *
 * Text form: `bcp1.<position>.<hash hex>.<signature base64url>`.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { base64urlnopad } from '@scure/base';
import type { AuditKeys } from './chain-keys.ts';

export interface Checkpoint {
  position: number;
  hash: string;
}

const PREFIX = 'bcp1';

const signed = (cp: Checkpoint) => new TextEncoder().encode(`bastion audit checkpoint v1\n${cp.position}\n${cp.hash}`);

export function signCheckpoint(keys: AuditKeys, cp: Checkpoint): string {
  return `${PREFIX}.${cp.position}.${cp.hash}.${base64urlnopad.encode(ed25519.sign(signed(cp), keys.signing))}`;
}

/** The checkpoint a text names, when it is well formed and signed with this installation's audit key. */
export function readCheckpoint(keys: AuditKeys, text: string): { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string } {
  const parts = text.trim().split('.');
  const [prefix, position, hash, signature] = parts;
  if (parts.length !== 4 || prefix !== PREFIX || !/^[1-9][0-9]{0,15}$/.test(position!) || !/^[0-9a-f]{64}$/.test(hash!)) {
    return { ok: false, reason: `not a checkpoint (expected ${PREFIX}.<position>.<hash>.<signature>, as the log's auditCheckpoint field holds)` };
  }
  const checkpoint = { position: Number(position), hash: hash! };
  let valid = false;
  try {
    valid = ed25519.verify(base64urlnopad.decode(signature!), signed(checkpoint), keys.publicKey);
  } catch {
    valid = false;
  }
  return valid ? { ok: true, checkpoint } : { ok: false, reason: 'the checkpoint is not signed with this installation\'s AUDIT_KEY' };
}
