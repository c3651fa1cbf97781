/**
 * Backup codes: ten one-time codes (codes.ts), the way back in when the phone is lost. Each works
 * once; using one alerts the owner with how many remain. Never strong: they are written down, so
 * they complete a sign-in or a reset but never step-up.
 */
import { sendAlert } from '../../account/alerts.ts';
import { invalidCode } from '../totp/factor.ts';
import { refusing, type Factor } from '../types.ts';
import { backupCodeCounts, consumeBackupCode, remainingBackupCodes } from './codes.ts';

export const backupCodeFactor: Factor<'backup_code'> = {
  id: 'backup_code',
  label: 'Backup codes',
  strong: false,
  secondFactor: true,
  firstFactor: false,
  memorized: false,
  guessable: true,
  knownDeviceOnly: false,
  purposes: new Set(['sign_in', 'password_reset']),
  status: {
    counts: backupCodeCounts,
    read: ({ unused = 0 }) => ({ enrolled: unused > 0, usable: unused > 0, count: unused }),
  },
  async removeAll(tx, userId) {
    return Number((await tx.deleteFrom('backup_codes').where('user_id', '=', userId).executeTakeFirst()).numDeletedRows);
  },
  async verifier({ deps, user, client, actor }, answer) {
    if (!user || !('code' in answer)) return refusing;
    return {
      async consume(tx) {
        const now = deps.clock.now();
        if (!(await consumeBackupCode(tx, [deps.config.codePepper, deps.config.sessionSecret], user.id, answer.code, now))) return false;
        const remaining = await remainingBackupCodes(tx, user.id);
        await sendAlert(deps, tx, user, 'backup_code_used', { at: now, remaining });
        await deps.audit.record(tx, { type: 'mfa.backup_code_used', actor, subject: user.id, client, data: { remaining } });
        return true;
      },
    };
  },
  refusal: invalidCode,
};
