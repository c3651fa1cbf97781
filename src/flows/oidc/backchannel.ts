/**
 * Back-channel logout (OpenID Connect Back-Channel Logout 1.0): the notices queued when app sessions
 * ended (account/app-sessions.ts) are sent as logout tokens (signed like ID tokens, with `sub`, `sid`
 * and the logout event) to each app's back-channel logout URI. A notice is claimed before it is sent,
 * so two nodes never send the same one; a failure is retried with a doubling delay, five times.
 */
import type Provider from 'oidc-provider';
import type { Deps } from '../../deps.ts';

/** oidc-provider's Client has it; its typings leave it out. */
interface BackchannelClient {
  backchannelLogout(sub: string, sid: string): Promise<void>;
}

const ATTEMPTS = 5;
const CLAIM_MS = 60_000;
const BATCH = 20;

/** Sends the notices that are due; returns how many were delivered. */
export async function sendDueLogouts(deps: Deps, provider: Provider): Promise<number> {
  const { db } = deps.store;
  const now = deps.clock.now();
  const due = await db.selectFrom('oidc_logouts').selectAll().where('sent_at', 'is', null).where('attempts', '<', ATTEMPTS).where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(BATCH).execute();
  let sent = 0;
  for (const notice of due) {
    const claimed = await db.updateTable('oidc_logouts').set({ next_attempt_at: now + CLAIM_MS }).where('id', '=', notice.id).where('next_attempt_at', '=', notice.next_attempt_at).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    try {
      const client = await provider.Client.find(notice.client_id);
      if (client?.backchannelLogoutUri) await (client as unknown as BackchannelClient).backchannelLogout(notice.account_id, notice.sid);
      await db.updateTable('oidc_logouts').set({ sent_at: deps.clock.now(), attempts: notice.attempts + 1, last_error: null }).where('id', '=', notice.id).execute();
      sent++;
    } catch (err) {
      const attempts = notice.attempts + 1;
      const message = err instanceof Error ? err.message : String(err);
      await db.updateTable('oidc_logouts').set({ attempts, next_attempt_at: deps.clock.now() + 1000 * 2 ** attempts, last_error: message.slice(0, 500) }).where('id', '=', notice.id).execute();
      deps.log.warn({ clientId: notice.client_id, attempts, error: message }, 'back-channel logout failed');
    }
  }
  return sent;
}
