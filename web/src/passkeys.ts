/**
 * Passkeys (WebAuthn) in the browser, through @simplewebauthn/browser: fetch options from the API,
 * run the browser's ceremony, hand back the JSON the API verifies. Browser failures become a
 * PasskeyError with a code that has a message in error-messages.ts; a ceremony that was aborted
 * (a newer one replaced it, or the page moved on) is `passkey_aborted` and is never shown.
 */
import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
  WebAuthnError,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { post } from './api.ts';
import { loadAppInfo } from './app-info.ts';

export type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON };

/** The browser's JSON for a credential the contracts parse into `Parsed` (a new passkey's, or a signed challenge's). */
type BrowserCredential<Parsed> = Parsed extends { response: { attestationObject: string } } ? RegistrationResponseJSON : AuthenticationResponseJSON;

/**
 * A request body of src/contracts as the browser sends it: any `credential` is the library's JSON,
 * which the server parses into the contract's shape. Bodies without a credential are unchanged.
 */
export type Sent<Body> = Body extends unknown
  ? 'credential' extends keyof Body
    ? Omit<Body, 'credential'> &
        (undefined extends Body['credential']
          ? { credential?: BrowserCredential<NonNullable<Body['credential']>> }
          : { credential: BrowserCredential<Body['credential']> })
    : Body
  : never;

export type PasskeyErrorCode =
  /** The browser cannot do WebAuthn at all. */
  | 'passkey_unsupported'
  /** The user closed the prompt, it timed out, or no passkey could verify them (NotAllowedError). */
  | 'passkey_cancelled'
  /** This authenticator already holds a passkey for the account (InvalidStateError on create). */
  | 'passkey_exists'
  /** The authenticator lacks what Bastion requires (user verification, discoverable credentials). */
  | 'passkey_unsuitable'
  /** Replaced by a newer ceremony or cancelled by the app: not an error to show. */
  | 'passkey_aborted'
  | 'passkey_failed';

export class PasskeyError extends Error {
  constructor(
    readonly code: PasskeyErrorCode,
    message: string = code,
  ) {
    super(message);
    this.name = 'PasskeyError';
  }
}

/** True for a ceremony that was aborted on purpose: say nothing about it. */
export const isPasskeyAborted = (error: unknown) => error instanceof PasskeyError && error.code === 'passkey_aborted';

/** False once /api/app-info says this installation has no passkeys (served on an IP address). */
let offeredByServer = true;
loadAppInfo().then(
  (info) => {
    offeredByServer = info.passkeys !== false;
  },
  () => undefined,
);

/** Whether to offer passkeys: the browser can do WebAuthn and the server offers them. */
export const passkeysSupported = (): boolean => offeredByServer && browserSupportsWebAuthn();

/** Whether passkeys can be offered in the email field's autofill (conditional mediation). */
export async function passkeyAutofillSupported(): Promise<boolean> {
  try {
    return await browserSupportsWebAuthnAutofill();
  } catch {
    return false;
  }
}

/** Ends any running ceremony (the conditional request of the sign-in page, for instance). */
export const cancelPasskeyCeremony = () => WebAuthnAbortService.cancelCeremony();

function classify(error: unknown): PasskeyError {
  if (error instanceof PasskeyError) return error;
  const name = error instanceof Error ? ((error.cause as Error | undefined)?.name ?? error.name) : '';
  if (error instanceof WebAuthnError) {
    switch (error.code) {
      case 'ERROR_CEREMONY_ABORTED':
        return new PasskeyError('passkey_aborted', error.message);
      case 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED':
        return new PasskeyError('passkey_exists', error.message);
      case 'ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT':
      case 'ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT':
      case 'ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG':
        return new PasskeyError('passkey_unsuitable', error.message);
      default:
        break;
    }
  }
  if (name === 'AbortError') return new PasskeyError('passkey_aborted');
  if (name === 'NotAllowedError') return new PasskeyError('passkey_cancelled');
  if (error instanceof Error && /not supported/i.test(error.message) && !browserSupportsWebAuthn()) return new PasskeyError('passkey_unsupported');
  return new PasskeyError('passkey_failed', error instanceof Error ? error.message : String(error));
}

function requireSupport(): void {
  if (!browserSupportsWebAuthn()) throw new PasskeyError('passkey_unsupported');
}

/** Asks the browser for an assertion with `optionsJSON` (a modal prompt, or the autofill list). */
export async function getAssertion(optionsJSON: PublicKeyCredentialRequestOptionsJSON, autofill = false): Promise<AuthenticationResponseJSON> {
  requireSupport();
  try {
    return await startAuthentication({ optionsJSON, useBrowserAutofill: autofill });
  } catch (error) {
    throw classify(error);
  }
}

/** POSTs `body` to `optionsPath` for request options, then asks the browser for an assertion. */
export async function assertWith(optionsPath: string, body: unknown = {}): Promise<AuthenticationResponseJSON> {
  requireSupport();
  const { options } = await post<{ options: PublicKeyCredentialRequestOptionsJSON }>(optionsPath, body);
  return getAssertion(options);
}

/** Creates a new passkey: registration options from the API, then the browser's prompt. */
export async function createCredential(): Promise<RegistrationResponseJSON> {
  requireSupport();
  const { options } = await post<{ options: PublicKeyCredentialCreationOptionsJSON }>('/api/me/passkeys/registration-options', {});
  try {
    return await startRegistration({ optionsJSON: options });
  } catch (error) {
    throw classify(error);
  }
}
