/**
 * The second factors a person confirms with, wherever they are asked for one (sign-in, password
 * reset, step-up): their names, the order they are offered in, which ones this browser can use, and
 * the proof each one sends (a code, or the browser's passkey prompt).
 */
import type { SecondFactor } from '../../../../src/contracts/login.ts';
import { assertWith, passkeysSupported, type AuthenticationResponseJSON } from '../../passkeys.ts';

export type Factor = SecondFactor;

export const FACTOR_LABELS: Record<Factor, string> = {
  passkey: 'Passkey',
  totp: 'Authenticator app',
  email_code: 'Email code',
  backup_code: 'Backup code',
};

/** The order of the methods a sign-in offers: a passkey first. */
export const FACTOR_ORDER: readonly Factor[] = ['passkey', 'totp', 'email_code', 'backup_code'];

/** Whether this browser can use the method here: a passkey needs WebAuthn and a server that offers passkeys. */
export const usable = (method: Factor): boolean => method !== 'passkey' || passkeysSupported();

/** The methods the server listed that this browser can use, in `order`. */
export const offeredFactors = <M extends Factor>(listed: readonly string[], order: readonly M[]): M[] =>
  order.filter((method) => listed.includes(method) && usable(method));

/** The code as the server takes it: a backup code trimmed, a 6-digit code without any spaces. */
export const enteredCode = (method: Factor, code: string): string => (method === 'backup_code' ? code.trim() : code.replace(/\s+/g, ''));

/** What a method sends: the passkey's signed challenge, or the code. */
export type Proof<M extends Factor> =
  | { method: Extract<M, 'passkey'>; credential: AuthenticationResponseJSON }
  | { method: Exclude<M, 'passkey'>; code: string };

/** Where a passkey's challenge comes from: the flow's options endpoint, and what it is sent. */
export interface PasskeyOptions {
  path: string;
  body?: unknown;
}

/** The proof for `method`: asks the browser for the passkey (options from `passkey`), or takes the code entered. */
export async function prove<M extends Factor>(method: M, code: string, passkey: PasskeyOptions): Promise<Proof<M>> {
  if (method === 'passkey') return { method, credential: await assertWith(passkey.path, passkey.body) } as Proof<M>;
  return { method, code: enteredCode(method, code) } as Proof<M>;
}
