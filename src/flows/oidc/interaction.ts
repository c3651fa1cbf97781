/**
 * The provider's interactions, finished with Bastion's own sign-in: an app's sign-in is confirmed by
 * a full Bastion session in this browser (password or passkey, the second factor and the new-device
 * confirmation, all enforced by the session guard before this is reached), and consent is the
 * user's choice of what the app gets. An app asking for a recent or strong sign-in (max_age,
 * acr_values) gets one: a passkey or authenticator code shown within that time (step-up), asked for
 * inside a live session too (OpenID Connect Core §3.1.2.1).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Session } from '../../account/sessions.ts';
import { recordAlone } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { Deps } from '../../deps.ts';
import { badRequest, forbidden } from '../../errors/app-error.ts';
import { strongMethods } from '../../factors/registry.ts';
import { authenticationOf } from './claims.ts';
import { needsStepUp } from './step-up.ts';

export interface Raw {
  req: IncomingMessage;
  res: ServerResponse;
}
type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

const expired = () => badRequest('oidc_interaction_expired', 'This sign-in request is over: go back to the app and start again.');

/** The interaction behind this browser's cookie, if it is the one the page names. */
export async function openInteraction(provider: Provider, raw: Raw, uid: string): Promise<Interaction> {
  const interaction = await provider.interactionDetails(raw.req, raw.res).catch(() => undefined);
  if (!interaction || interaction.uid !== uid) throw expired();
  return interaction;
}

/** The login prompt: this session signs the user in to the app, after a step-up when the app asked for one. */
export async function finishLogin(deps: Deps, provider: Provider, interaction: Interaction, session: Session, raw: Raw): Promise<string> {
  if (interaction.prompt.name !== 'login') throw expired();
  if (needsStepUp(deps, session, interaction.params)) {
    throw forbidden('step_up_required', 'The app asks you to confirm it is you with your passkey or authenticator app.', {
      stepUp: { methods: await strongMethods(deps.store.db, session.user_id), endpoint: '/api/auth/step-up' },
    });
  }
  // remember: false — the provider's cookie lasts as long as the browser; the Bastion session rules anyway.
  return provider.interactionResult(raw.req, raw.res, { login: { ...authenticationOf(deps, session), remember: false } }, { mergeWithLastSubmission: false });
}

/**
 * The consent prompt: grant what the app asked for (the scopes and claims not granted yet), remembered
 * until revoked, and audited (the provider writes the grant itself, so the event follows it).
 */
export async function finishConsent(deps: Deps, provider: Provider, interaction: Interaction, userId: string, raw: Raw, client: ClientInfo): Promise<string> {
  const accountId = interaction.session?.accountId;
  if (interaction.prompt.name !== 'consent' || accountId !== userId) throw expired();
  const clientId = String(interaction.params.client_id);
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const details = interaction.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  const redirectTo = await provider.interactionResult(raw.req, raw.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  const { scopes } = await describeInteraction(provider, interaction);
  await recordAlone(deps.store.db, deps.audit, { type: 'oidc.consent_granted', actor: { kind: 'user', id: userId }, subject: userId, client, data: { clientId, scopes } });
  return redirectTo;
}

/** The user said no: the app is told access_denied. */
export function denyInteraction(provider: Provider, raw: Raw): Promise<string> {
  return provider.interactionResult(raw.req, raw.res, { error: 'access_denied', error_description: 'The user did not allow the sign-in.' }, { mergeWithLastSubmission: false });
}

/** What the interaction page shows. */
export async function describeInteraction(provider: Provider, interaction: Interaction) {
  const clientId = String(interaction.params.client_id);
  const client = await provider.Client.find(clientId);
  const scopes = typeof interaction.params.scope === 'string' ? interaction.params.scope.split(' ').filter(Boolean) : [];
  return { uid: interaction.uid, prompt: interaction.prompt.name as 'login' | 'consent', client: { id: clientId, name: client?.clientName ?? clientId }, scopes };
}
