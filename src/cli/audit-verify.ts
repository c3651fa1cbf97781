/** `bastion audit verify`: walks the audit hash chain; exit 0 when intact, 1 at the first bad row. */
import { verifyChain } from '../audit/audit.ts';
import type { Db } from '../store/database.ts';

export async function auditVerify(db: Db, out: (line: string) => void): Promise<number> {
  const report = await verifyChain(db);
  if (report.intact) {
    out(`audit chain intact: ${report.rows} event(s) verified`);
    return 0;
  }
  out(`audit chain BROKEN at row ${report.firstBadSeq}: ${report.reason} (${report.rows} event(s) verified before it)`);
  return 1;
}
