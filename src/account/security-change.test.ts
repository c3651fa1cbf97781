/** The security-change table: every kind does what its row says — sessions, sign-ins in progress, withdrawal hold, alert with lock link, audit event with actor. */
import { describe, expect, it } from 'vitest';
import { userActor } from '../audit/audit.ts';
import { HOUR } from '../clock.ts';
import { inTransaction } from '../store/database.ts';
import { enrolledUser, signIn } from '../../test/accounts.ts';
import { dialects, testApps } from '../../test/harness.ts';
import { startLogin } from '../../test/login.ts';
import { lockTokens } from '../../test/mail.ts';
import { auditOf, holdsOf, userRow } from '../../test/queries.ts';
import { SECURITY_CHANGES, securityChanged, type SecurityChange, type SecurityChangeKind } from './security-change.ts';

const CLIENT = { ip: '192.0.2.90', userAgent: 'SecurityChangeTest/1.0' };

/** Each kind's alert facts (the type asks for one per kind). */
const ALERTS: { [K in SecurityChangeKind]: SecurityChange<K>['alert'] } = {
  password_changed: { resetUrl: 'http://localhost:3000/forgot-password' },
  password_reset: { resetUrl: 'http://localhost:3000/forgot-password' },
  totp_added: { method: 'Authenticator app' },
  totp_replaced: { method: 'Authenticator app' },
  passkey_added: { name: 'Test key', device: 'Test device' },
  passkey_removed: { name: 'Test key', device: 'Test device' },
  passkey_disabled: { name: 'Test key' },
  backup_codes_regenerated: {},
  anti_phishing_changed: { code: 'Blue_Falcon-7' },
  anti_phishing_removed: { code: null },
  account_frozen: {},
  account_unfrozen: {},
  email_changed: { newEmail: 'new@example.com', cancelUrl: 'http://localhost:3000/email-change/cancel?token=t' },
  two_factor_reset: { heldUntil: Date.UTC(2026, 0, 17, 9) },
  two_factor_reset_disowned: { reason: 'The owner disowned a reset' },
  withdrawal_address_added: { label: 'Ledger', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' },
  whitelist_disabled: { effectiveAt: Date.UTC(2026, 0, 16, 9) },
  account_locked_by_staff: { reason: 'Reported stolen phone' },
  account_unlocked_by_staff: {},
  sessions_revoked_by_staff: {},
  staff_role_changed: { role: 'support' },
};

describe.each(dialects)('security changes on %s', (dialect) => {
  const app = testApps(dialect);

  it.each(Object.keys(SECURITY_CHANGES) as SecurityChangeKind[])('%s does what its row says', async (kind) => {
    const effects = SECURITY_CHANGES[kind];
    const t = await app();
    const user = await enrolledUser(t);
    const other = await signIn(t, user);
    const pending = t.client();
    await startLogin(pending, user);
    const row = await userRow(t, user.email);
    const current = await t.db.store.db.selectFrom('sessions').select('id').where('user_id', '=', row.id).orderBy('created_at').executeTakeFirstOrThrow();
    const mailsBefore = (await t.mailTo(user.email)).length;

    const { heldUntil } = await inTransaction(t.deps.store.db, (tx) =>
      securityChanged(t.deps, tx, { kind, subject: row, actor: userActor(row.id), client: CLIENT, keepSessionId: current.id, alert: ALERTS[kind] as never, data: { test: true } }),
    );

    // Sessions: the one that made the change stays when only the others end.
    const live = (await t.db.store.db.selectFrom('sessions').select('id').where('user_id', '=', row.id).where('revoked_at', 'is', null).execute()).map((s) => s.id);
    if (effects.sessions === 'none') expect(live).toHaveLength(2);
    if (effects.sessions === 'others') expect(live).toEqual([current.id]);
    if (effects.sessions === 'all') expect(live).toEqual([]);
    expect((await other.get('/api/me')).status).toBe(effects.sessions === 'none' ? 200 : 401);
    // Sign-ins in progress.
    const flows = await t.db.store.db.selectFrom('login_flows').select('id_hash').where('user_id', '=', row.id).execute();
    expect(flows.length === 0).toBe(effects.endSignIns);
    // The hold, as long as the row says.
    const holds = await holdsOf(t, row.id);
    const holdMs = effects.holdMs(t.config);
    if (holdMs === 0) expect(holds).toEqual([]);
    else {
      expect(holds.map((h) => [h.reason, Number(h.until) - Number(h.created_at)])).toEqual([[kind, holdMs]]);
      expect(heldUntil).toBe(t.clock.now() + holdMs);
    }
    if (kind === 'two_factor_reset') expect(holdMs).toBe(48 * HOUR);
    // One alert, with its own lock link (the freeze notice has none: the account is locked already).
    const mails = (await t.mailTo(user.email)).slice(mailsBefore);
    expect(mails).toHaveLength(1);
    expect(lockTokens(mails[0]!)).toHaveLength(typeof effects.alert === 'string' ? 1 : 0);
    // The audit event: its type, the actor apart from the subject, the client, the details.
    const events = await auditOf(t, effects.audit);
    expect(events.at(-1)).toMatchObject({ user_id: row.id, actor_kind: 'user', actor_id: row.id, ip: CLIENT.ip, user_agent: CLIENT.userAgent });
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ test: true });
  });

  it('holds nothing for the mandatory first factor of a new account', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const row = await userRow(t, user.email);
    const before = (await holdsOf(t, row.id)).length;
    await inTransaction(t.deps.store.db, (tx) =>
      securityChanged(t.deps, tx, { kind: 'passkey_added', subject: row, actor: userActor(row.id), client: CLIENT, firstFactor: true, alert: ALERTS.passkey_added }),
    );
    expect(await holdsOf(t, row.id)).toHaveLength(before);
  });
});
