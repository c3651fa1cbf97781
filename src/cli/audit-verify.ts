/**
 * `bastion audit verify [--checkpoint <cp>…]`: walks the keyed audit chain; exit 0 when intact, 1 at
 * the first bad entry or when it does not reach a checkpoint given (kept from the log: removing the
 * chain's tail is caught only against one), 2 when a checkpoint is not one of this installation's.
 */
import type { AuditKeys } from '../audit/chain-keys.ts';
import { readCheckpoint, type Checkpoint } from '../audit/checkpoint.ts';
import { verifyChain } from '../audit/verify.ts';
import type { Db } from '../store/database.ts';

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
    out(`audit chain intact: ${report.rows} event(s) verified${held}${waiting}`);
    return 0;
  }
  const where = report.firstBadSeq === null ? '' : ` at event ${report.firstBadSeq}`;
  out(`audit chain BROKEN${where}: ${report.reason} (${report.rows} event(s) verified before it)${waiting}`);
  return 1;
}
