/**
 * `bastion oidc`: the apps that sign in through Bastion and the provider's signing keys.
 * `clients add` prints the new client's id and, for a confidential client, its secret (shown once,
 * kept hashed); `clients list`, `clients remove <id>` (its grants and tokens go too); `keys rotate`
 * makes new ES256 and RS256 keys, the old ones staying published until what they signed expires
 * (running nodes pick them up within a minute).
 */
import { Command } from 'commander';
import type { Deps } from '../deps.ts';
import type { Tx } from '../store/database.ts';
import { run, type WithDeps } from './run.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface AddOptions {
  name: string;
  redirectUri?: string[];
  postLogoutRedirectUri?: string[];
  backchannelLogoutUri?: string;
  public?: boolean;
  clientCredentials?: boolean;
  refresh: boolean;
  firstParty?: boolean;
}

export function oidcCommand(withDeps: WithDeps, out: (s: string) => void): Command {
  const oidc = new Command('oidc').description('Bastion as an OpenID Connect provider: apps (clients) and signing keys');
  const clients = oidc.command('clients').description('the apps that sign their users in through Bastion');
  /** An operator's change and its audit event, in one transaction. */
  const audited = async <T>(deps: Deps, work: (tx: Tx) => Promise<T>, event: (result: T) => { type: string; data: Record<string, unknown> } | null): Promise<T> => {
    const { inTransaction } = await import('../store/database.ts');
    return inTransaction(deps.store.db, async (tx) => {
      const result = await work(tx);
      const recorded = event(result);
      if (recorded) await deps.audit.record(tx, { ...recorded, actor: { kind: 'system' }, subject: null, client: null });
      return result;
    });
  };

  clients
    .command('add')
    .description('register an app; prints its client id and, unless --public, its secret (shown once)')
    .requiredOption('--name <name>', 'the name users see on the consent page')
    .option('--redirect-uri <uri>', 'a redirect URI, matched exactly (repeat for more)', collect)
    .option('--post-logout-redirect-uri <uri>', 'where RP-initiated logout may return to (repeat for more)', collect)
    .option('--backchannel-logout-uri <uri>', 'where Bastion sends logout tokens when a session ends')
    .option('--public', 'a browser or mobile app: no secret, PKCE required')
    .option('--client-credentials', 'also (or, with no redirect URI, only) the client-credentials grant, for a back-end service')
    .option('--no-refresh', 'no refresh tokens for this app')
    .option('--first-party', "the platform's own app: its users are not asked for consent")
    .action((options: AddOptions) =>
      run(withDeps, out, async (deps) => {
        const { addClient } = await import('../flows/oidc/clients.ts');
        const input = {
          name: options.name,
          redirectUris: options.redirectUri ?? [],
          postLogoutRedirectUris: options.postLogoutRedirectUri ?? [],
          backchannelLogoutUri: options.backchannelLogoutUri,
          public: options.public ?? false,
          clientCredentials: options.clientCredentials ?? false,
          noRefresh: !options.refresh,
          firstParty: options.firstParty ?? false,
        };
        const { client, secret } = await audited(
          deps,
          (tx) => addClient(tx, input, deps.clock.now()),
          (made) => ({ type: 'oidc.client_added', data: { clientId: made.client.id, name: made.client.name, public: made.secret === null } }),
        );
        out(`client id: ${client.id}\n`);
        if (secret !== null) out(`client secret: ${secret}\n(shown once: only its hash is kept)\n`);
        out(`issuer: ${deps.config.baseUrl}/oidc\n`);
        return 0;
      }),
    );

  clients
    .command('list')
    .description('the registered apps')
    .action(() =>
      run(withDeps, out, async (deps) => {
        const { listClients } = await import('../flows/oidc/clients.ts');
        const rows = await listClients(deps.store.db);
        if (rows.length === 0) out('no apps are registered\n');
        for (const c of rows) {
          const kind = [c.secret_hash === null ? 'public' : 'confidential', ...(c.first_party ? ['first-party'] : [])].join(', ');
          out(`${c.id}  ${c.name}  (${kind}; ${(JSON.parse(c.grant_types) as string[]).join(' ')})  ${(JSON.parse(c.redirect_uris) as string[]).join(' ')}\n`);
        }
        return 0;
      }),
    );

  clients
    .command('remove <clientId>')
    .description("remove an app: its users' grants and tokens end at once")
    .action((clientId: string) =>
      run(withDeps, out, async (deps) => {
        const { removeClient } = await import('../flows/oidc/clients.ts');
        const removed = await audited(deps, (tx) => removeClient(tx, clientId), (gone) => (gone ? { type: 'oidc.client_removed', data: { clientId } } : null));
        if (!removed) {
          out(`no app with client id ${clientId}\n`);
          return 1;
        }
        out(`removed ${clientId}\n`);
        return 0;
      }),
    );

  oidc
    .command('keys')
    .description('the signing keys of ID tokens')
    .command('rotate')
    .description('make new ES256 and RS256 keys; the old ones stop signing and stay published until what they signed expires')
    .action(() =>
      run(withDeps, out, async (deps) => {
        const { rotateSigningKeys } = await import('../flows/oidc/signing-keys.ts');
        // The keys and their audit event are written in one transaction (signing-keys.ts).
        const { added, retired } = await rotateSigningKeys(deps);
        out(`new signing keys: ${added.join(', ')}\nretired (published 2 more hours): ${retired.join(', ') || 'none'}\nrunning nodes switch within a minute\n`);
        return 0;
      }),
    );
  return oidc;
}
