/**
 * Virtual WebAuthn authenticators in Chromium (the DevTools protocol's WebAuthn domain), so browser
 * journeys can create and use passkeys without hardware. An authenticator belongs to one page (tab)
 * and lives across its navigations.
 *
 * Chromium's virtual environment answers prompts by itself while presence simulation is on; that
 * includes the background (conditional) request of a sign-in page, which then signs in at once. A
 * journey that wants a page to wait, as a person would, turns presence off (`presence(false)`);
 * a request started meanwhile waits until it is aborted or times out.
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

/**
 * Watches the pages of `context` for conditional (autofill) requests, so a journey can wait until
 * one is waiting and see how it ended: {started, ended: '' while pending | 'ok' | an error name}.
 */
export async function watchConditionalRequests(context: BrowserContext): Promise<void> {
  await context.addInitScript(`(() => {
    const state = { started: 0, ended: '' };
    window.__conditional = state;
    const get = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = (options) => {
      if (!options || options.mediation !== 'conditional') return get(options);
      state.started += 1;
      state.ended = '';
      return get(options).then(
        (credential) => { state.ended = 'ok'; return credential; },
        (error) => { state.ended = (error && error.name) || 'error'; throw error; },
      );
    };
  })()`);
}

export interface ConditionalState {
  started: number;
  ended: string;
}

/** The page's conditional requests so far (after watchConditionalRequests). */
export const conditionalState = (page: Page) => page.evaluate<ConditionalState>('window.__conditional ?? { started: 0, ended: "" }');

export interface AuthenticatorOptions {
  protocol: 'ctap2' | 'u2f';
  transport: 'internal' | 'usb' | 'nfc' | 'ble' | 'hybrid';
  hasResidentKey: boolean;
  hasUserVerification: boolean;
  isUserVerified: boolean;
  automaticPresenceSimulation: boolean;
}

/** A platform authenticator (Face ID, fingerprint, screen lock) that verifies the user. */
export const PLATFORM: AuthenticatorOptions = {
  protocol: 'ctap2',
  transport: 'internal',
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
};

/** A credential as the protocol reports it (binary fields in standard base64). */
export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
  backupEligibility?: boolean;
  backupState?: boolean;
}

export interface VirtualAuthenticator {
  readonly id: string;
  /** Every credential it holds, with its current signature counter. */
  credentials(): Promise<VirtualCredential[]>;
  /** Puts a credential in it (e.g. one made by another authenticator: the same passkey elsewhere). */
  plant(credential: VirtualCredential): Promise<void>;
  /** Whether it answers prompts by itself (true) or leaves them waiting (false). */
  presence(enabled: boolean): Promise<void>;
  /** Whether the user verification it reports succeeds (only with hasUserVerification). */
  userVerified(verified: boolean): Promise<void>;
  remove(): Promise<void>;
}

/** The WebAuthn domain of one page: add authenticators to it. */
export class VirtualAuthenticators {
  private constructor(private readonly cdp: CDPSession) {}

  static async attach(context: BrowserContext, page: Page): Promise<VirtualAuthenticators> {
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    return new VirtualAuthenticators(cdp);
  }

  async add(options: Partial<AuthenticatorOptions> = {}): Promise<VirtualAuthenticator> {
    const { cdp } = this;
    const { authenticatorId: id } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: { ...PLATFORM, ...options } });
    return {
      id,
      async credentials() {
        const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: id });
        return credentials as VirtualCredential[];
      },
      async plant(credential) {
        await cdp.send('WebAuthn.addCredential', { authenticatorId: id, credential: { rpId: 'localhost', ...credential } });
      },
      async presence(enabled) {
        await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: id, enabled });
      },
      async userVerified(isUserVerified) {
        await cdp.send('WebAuthn.setUserVerified', { authenticatorId: id, isUserVerified });
      },
      async remove() {
        await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: id });
      },
    };
  }
}
