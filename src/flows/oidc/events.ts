/**
 * What Bastion does when the provider reports something: an app sign-in links the browser's provider
 * session to its Bastion session (so ending that one ends the app sessions: account/app-sessions.ts);
 * a grant it revokes (a refresh token used twice, a revoked token, a logout) is an audit event;
 * "Yes, sign me out" on its logout page signs the browser out of Bastion too; its own failures are
 * logged without their details.
 */
import type Provider from 'oidc-provider';
import { linkAppSession } from '../../account/app-sessions.ts';
import { findLiveSessionWithUser } from '../../account/sessions.ts';
import type { Deps } from '../../deps.ts';
import { inTransaction } from '../../store/database.ts';
import { signOut } from '../login/sign-out.ts';
import { bastionSessionOf, type ProviderOptions } from './provider.ts';

export function listenToProvider(deps: Deps, provider: Provider, options: ProviderOptions): void {
  provider.on('server_error', (_ctx, err) => deps.log.error({ err: { name: err.name, message: err.message } }, 'oidc provider error'));
  // Each app sign-in records which Bastion session the browser's provider session rides on.
  provider.on('authorization.success', (ctx) => {
    const uid = ctx.oidc.session?.uid;
    if (!uid) return;
    deps.later.start('linking an app session', async () => {
      const live = await bastionSessionOf(deps, ctx, options.sessionCookie);
      if (live) await linkAppSession(deps.store.db, { uid, accountId: live.user.id, bastionSessionId: live.session.id }, deps.clock.now());
    });
  });
  // A grant the provider revokes (a refresh token used twice, a token revoked, a logout) is an audit event.
  provider.on('grant.revoked', (ctx, grantId) => {
    const accountId = ctx.oidc.entities.Account?.accountId ?? ctx.oidc.session?.accountId ?? null;
    deps.later.start('recording a revoked grant', () =>
      inTransaction(deps.store.db, (tx) =>
        deps.audit.record(tx, { type: 'oidc.grant_revoked', actor: { kind: 'system' }, subject: accountId, client: null, data: { clientId: ctx.oidc.client?.clientId ?? null, grantId, route: ctx.oidc.route } }),
      ),
    );
  });
  // "Sign me out" on the provider's logout page signs this browser out of Bastion too (and so of every app).
  provider.on('end_session.success', (ctx) => {
    if (!ctx.oidc.params?.logout) return;
    const token = ctx.cookies.get(options.sessionCookie);
    if (!token) return;
    ctx.cookies.set(options.sessionCookie, null, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.secure });
    const client = { ip: ctx.ip, userAgent: (ctx.get('user-agent') ?? '').slice(0, 512) };
    deps.later.start('ending the Bastion session at RP-initiated logout', async () => {
      const live = await findLiveSessionWithUser(deps, token);
      if (live) await signOut(deps, live.user, live.session, client);
    });
  });
}
