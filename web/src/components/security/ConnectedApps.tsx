/**
 * Connected apps: the apps this account signed in to through Bastion (OpenID Connect), with what each
 * was allowed. Revoking one ends its access at once (its tokens stop working); it asks again next time.
 */
import { useState } from 'react';
import type { ConnectedAppList } from '../../../../src/contracts/oidc.ts';
import { del } from '../../api.ts';
import { ErrorMessage, SuccessMessage } from '../Messages.tsx';
import { Fact } from './Fact.tsx';
import { LoadState } from './LoadState.tsx';
import { useListAction } from './useListAction.ts';
import { useSecurityData } from './useSecurityData.ts';
import { When } from './When.tsx';

type App = ConnectedAppList['apps'][number];

/** What a scope lets an app see, in words. */
export const SCOPE_WORDS: Record<string, string> = {
  openid: 'Your account id and how you signed in',
  email: 'Your email address',
  kyc: 'Your identity verification level',
  offline_access: 'Stay signed in when you are away',
};
export const scopeWords = (scope: string) => SCOPE_WORDS[scope] ?? scope;

export function ConnectedApps({ refreshKey, onChanged }: { refreshKey: number; onChanged: () => void }) {
  const { data, error, reload } = useSecurityData<ConnectedAppList>('/api/me/connected-apps', refreshKey);
  const { busy, actionError, done, heading, act } = useListAction(onChanged);
  const [revoked, setRevoked] = useState<ReadonlySet<string>>(new Set());

  const revoke = (app: App) =>
    act(app.clientId, async () => {
      await del(`/api/me/connected-apps/${encodeURIComponent(app.clientId)}`);
      setRevoked((all) => new Set([...all, app.clientId]));
      return `${app.name} no longer has access. It will ask for your permission again the next time you sign in to it.`;
    });

  const apps = (data?.apps ?? []).filter((a) => !revoked.has(a.clientId));
  return (
    <section className="panel" aria-labelledby="connected-apps-heading">
      <h2 id="connected-apps-heading" ref={heading} tabIndex={-1}>
        Connected apps
      </h2>
      <p className="muted small">Apps you signed in to with your Bastion account, and what you allowed each to see.</p>
      <LoadState what="connected apps" loaded={data !== null} error={error} onRetry={reload} />
      <SuccessMessage>{done}</SuccessMessage>
      <ErrorMessage>{actionError}</ErrorMessage>
      {data && apps.length === 0 ? <p>No apps are connected to your account.</p> : null}
      {apps.length > 0 ? (
        <ul className="sc-list" data-testid="connected-apps">
          {apps.map((app) => (
            <li key={app.clientId} className="sc-item" data-testid="connected-app">
              <div className="sc-item-head">
                <strong className="wrap">{app.name}</strong>
              </div>
              <dl className="sc-facts">
                <Fact label="Allowed">{app.scopes.map(scopeWords).join('; ')}</Fact>
                <Fact label="Since"><When iso={app.grantedAt} /></Fact>
              </dl>
              <button type="button" className="button-secondary button-small" onClick={() => void revoke(app)} aria-disabled={busy !== null ? true : undefined}>
                {busy === app.clientId ? 'Revoking…' : 'Revoke access'}
                <span className="visually-hidden"> of {app.name}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
