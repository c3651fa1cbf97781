/**
 * A checkpoint: the chain's head (position and hash) signed with the audit key, written at every
 * seal (audit/seal.ts) to the log and on the head's chain entry. Kept outside the database, it is
 * what `bastion audit verify --checkpoint` holds the chain to: an entry removed from the tail, or a
 * chain rewritten from some entry on, no longer reaches it.
 *
 * Checkpoints are chained: each signs the digest of the one before (`prev`; GENESIS_HASH for the
 * first), so the log holds one history. Two signed checkpoints for one position, or two after the
 * same one, show a sealer made to sign a history that does not extend the last one.
 *
 * Text form: `bcp2.<position>.<hash hex>.<prev digest hex>.<signature base64url>`. Checkpoints from
 * before they were chained (`bcp1.<position>.<hash>.<signature>`) are still read, as pins only.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { base64urlnopad } from '@scure/base';
import type { AuditKeys } from './chain-keys.ts';

export interface Checkpoint {
  position: number;
  hash: string;
  /** The digest of the checkpoint before; absent on a bcp1 checkpoint (not chained). */
  prev?: string;
}

export type ChainedCheckpoint = Required<Checkpoint>;

const V1 = 'bcp1';
const V2 = 'bcp2';
const HEX64 = /^[0-9a-f]{64}$/;

const message = (cp: Checkpoint) =>
  new TextEncoder().encode(cp.prev === undefined ? `bastion audit checkpoint v1\n${cp.position}\n${cp.hash}` : `bastion audit checkpoint v2\n${cp.position}\n${cp.hash}\n${cp.prev}`);

/** What the next checkpoint signs as its `prev`: SHA-256 of this one's signed message. */
export const checkpointDigest = (cp: ChainedCheckpoint): string => createHash('sha256').update(message(cp)).digest('hex');

export function signCheckpoint(keys: AuditKeys, cp: ChainedCheckpoint): string {
  return `${V2}.${cp.position}.${cp.hash}.${cp.prev}.${base64urlnopad.encode(ed25519.sign(message(cp), keys.signing))}`;
}

/** The public half of the checkpoint key (base64url): whoever holds it can check checkpoints without AUDIT_KEY. */
export const checkpointPublicKey = (keys: AuditKeys): string => base64urlnopad.encode(keys.publicKey);

// Checked with node:crypto: a tenth of the time of @noble's check, and verify checks the checkpoint of every batch.
const verifiers = new WeakMap<Uint8Array, KeyObject>();
function verifierOf(publicKey: Uint8Array): KeyObject {
  let key = verifiers.get(publicKey);
  if (!key) verifiers.set(publicKey, (key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64urlnopad.encode(publicKey) }, format: 'jwk' })));
  return key;
}

/** The checkpoint a text names, when it is well formed and signed with this installation's audit key. */
export function readCheckpoint(keys: Pick<AuditKeys, 'publicKey'>, text: string): { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string } {
  const parts = text.trim().split('.');
  const chained = parts[0] === V2 && parts.length === 5;
  const [, position, hash, ...rest] = parts;
  const prev = chained ? rest[0] : undefined;
  const signature = rest.at(-1);
  const shaped = chained || (parts[0] === V1 && parts.length === 4);
  if (!shaped || !/^[1-9][0-9]{0,15}$/.test(position!) || !HEX64.test(hash!) || (prev !== undefined && !HEX64.test(prev))) {
    return { ok: false, reason: `not a checkpoint (expected ${V2}.<position>.<hash>.<prev>.<signature>, as the log's auditCheckpoint field holds)` };
  }
  const checkpoint: Checkpoint = prev === undefined ? { position: Number(position), hash: hash! } : { position: Number(position), hash: hash!, prev };
  let valid = false;
  try {
    valid = verify(null, message(checkpoint), verifierOf(keys.publicKey), base64urlnopad.decode(signature!));
  } catch {
    valid = false;
  }
  return valid ? { ok: true, checkpoint } : { ok: false, reason: 'the checkpoint is not signed with this installation\'s AUDIT_KEY' };
}

/** The checkpoint stored on a chain entry, when this installation signed it for that entry (a chained one). */
export function storedCheckpoint(keys: Pick<AuditKeys, 'publicKey'>, text: string, entry: { position: number; hash: string }): ChainedCheckpoint | null {
  const read = readCheckpoint(keys, text);
  const { checkpoint } = read.ok ? read : { checkpoint: null };
  return checkpoint?.prev !== undefined && checkpoint.position === entry.position && checkpoint.hash === entry.hash ? (checkpoint as ChainedCheckpoint) : null;
}
