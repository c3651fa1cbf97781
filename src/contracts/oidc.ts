/** Signing in to another app through Bastion (OpenID Connect): the interaction page and connected apps. */
import { z } from 'zod';

export const interactionParams = z.strictObject({ uid: z.string().min(1).max(64) });

/** GET /oidc/interaction/:uid/details: what the app asks, and whether this browser is signed in to Bastion. */
export const interactionDetails = z.object({
  uid: z.string(),
  /** login: confirm the sign-in (a fresh strong factor when stepUp); consent: allow what the app asks. */
  prompt: z.enum(['login', 'consent']),
  client: z.object({ id: z.string(), name: z.string() }),
  scopes: z.array(z.string()),
  signedIn: z.boolean(),
  /** The app asked for a recent passkey or authenticator code (acr_values, max_age). */
  stepUp: z.boolean(),
});
export type InteractionDetails = z.infer<typeof interactionDetails>;

/** Where the browser goes next (back through the provider to the app). */
export const interactionAnswer = z.object({ redirectTo: z.string() });
export type InteractionAnswer = z.infer<typeof interactionAnswer>;

/** GET /api/me/connected-apps. */
export const connectedAppList = z.object({
  apps: z.array(z.object({ clientId: z.string(), name: z.string(), scopes: z.array(z.string()), grantedAt: z.string() })),
});
export type ConnectedAppList = z.infer<typeof connectedAppList>;
export const connectedAppParams = z.strictObject({ clientId: z.string().min(1).max(64) });
export const connectedAppRevoked = z.object({ status: z.literal('revoked') });
