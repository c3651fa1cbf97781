/**
 * `bastion audit verify [--checkpoint <cp>…] [--checkpoints-file <path>|-]`: walks the keyed audit
 * chain; exit 0 when intact, 1 at the first bad entry, an event added by hand, a bad row in the
 * sealer's queue, checkpoints that disagree or when it does not reach a checkpoint given (kept from
 * the log: removing the chain's tail with the checkpoints stored on it is caught only against one),
 * printing that first finding and then a line for each other; 2 when a checkpoint is not one of
 * this installation's.
 */
import { readFile } from 'node:fs/promises';
import type { AuditKeys } from '../audit/chain-keys.ts';
import { checkpointPublicKey, readCheckpoint, type Checkpoint } from '../audit/checkpoint.ts';
import { verifyChain } from '../audit/verify.ts';
import type { Db } from '../store/database.ts';

/** The checkpoints in a file (`-`: standard input), one a line, as grepped from the log; blank lines ignored. */
export async function readCheckpointsFile(path: string, stdin: NodeJS.ReadableStream): Promise<string[]> {
  let text = '';
  if (path === '-') for await (const chunk of stdin) text += chunk.toString();
  else text = await readFile(path, 'utf8');
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
}

export async function auditVerify(db: Db, keys: AuditKeys, checkpointTexts: string[], out: (line: string) => void): Promise<number> {
  const checkpoints: Checkpoint[] = [];
  for (const text of checkpointTexts) {
    const read = readCheckpoint(keys, text);
    if (!read.ok) {
      out(`checkpoint refused: ${read.reason}`);
      return 2;
    }
    checkpoints.push(read.checkpoint);
  }
  const report = await verifyChain(db, keys, checkpoints);
  const waiting = report.pending > 0 ? `; ${report.pending} event(s) waiting to be sealed` : '';
  if (report.intact) {
    const held = checkpoints.length > 0 ? `, reaching ${checkpoints.length} checkpoint(s)` : ' (give --checkpoint from the log to catch a removed tail)';
    const unchecked = report.unverified ? `; ${report.unverified} of them sealed without a MAC check (they waited from before migration 016)` : '';
    out(`audit chain intact: ${report.rows} event(s) verified${held}${unchecked}${waiting}`);
    return 0;
  }
  const where = report.firstBadSeq === null ? '' : ` at event ${report.firstBadSeq}`;
  out(`audit chain BROKEN${where}: ${report.reason} (${report.rows} event(s) verified before it)${waiting}`);
  for (const finding of report.also) out(`also${finding.firstBadSeq === null ? '' : ` at event ${finding.firstBadSeq}`}: ${finding.reason}`);
  return 1;
}

/** `bastion audit public-key`: the key that checks checkpoints (Ed25519, base64url), to publish beside the logs. */
export function auditPublicKey(keys: AuditKeys, out: (line: string) => void): void {
  out(`ed25519:${checkpointPublicKey(keys)}`);
}
