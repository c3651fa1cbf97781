/**
 * The one way a factor is checked, whatever asks (sign-in's first and second step, step-up, password
 * reset, password change, 2FA recovery), as Ory Kratos' login handler loops over strategies without
 * naming one. It refuses a factor for a purpose it does not serve, lets the factor check what it can
 * before an attempt counts, then runs the attempt under the lock its role calls for (account/locks.ts):
 * - a first factor (the password, a passkey alone) counts toward the address's password lock and
 *   is refused like a wrong password (no hint whether the address has an account);
 * - a second factor counts toward the account's code lock (10 wrong codes lock it for 15 minutes,
 *   across every flow), is refused with the factor's own answer, and is recorded as `mfa.failed`.
 */
import { CODE_LOCKOUT, codeKey, PASSWORD_LOCKOUT, passwordKey, underLockout } from '../account/locks.ts';
import type { User } from '../account/users.ts';
import type { Actor } from '../audit/audit.ts';
import type { ClientInfo } from '../client/client-info.ts';
import type { Deps } from '../deps.ts';
import { badRequest, unauthorized, type AppError } from '../errors/app-error.ts';
import type { Tx } from '../store/database.ts';
import { factorById, type FactorId } from './registry.ts';
import type { Ceremony, Factor, FactorAnswer, Purpose } from './types.ts';

/** The one answer for every refused first factor (wrong password, unknown email, refused passkey). */
export const invalidCredentials = () => unauthorized('invalid_credentials', 'The email or password is not right.');

const PURPOSE_WORDS: Record<Purpose, string> = {
  sign_in: 'to sign in',
  step_up: 'to confirm a sensitive action',
  password_reset: 'to reset a password',
  password_change: 'to change a password',
  recovery: 'to recover an account',
};

const notServed = (factor: Factor, purpose: Purpose) => badRequest('invalid_request', `method: ${factor.id} cannot be used ${PURPOSE_WORDS[purpose]}.`);

/** Whether a factor may serve a purpose in a role. */
export function serves(factor: Factor, purpose: Purpose, role: Ceremony['role']): boolean {
  return factor.purposes.has(purpose) && (role === 'first' ? factor.firstFactor : factor.secondFactor);
}

export interface ProofRequest {
  factor: FactorId;
  ceremony: Ceremony;
  /** The account; undefined only for a first factor naming an address without one. */
  user: User | undefined;
  /** The address a first factor names (the password lock's key); defaults to the account's. */
  email?: string;
  answer: FactorAnswer;
  client: ClientInfo;
  /** Who is trying: someone not yet signed in (anonymous), or the session's user. */
  actor: Actor;
}

export interface ProofHandlers<T> {
  /** Runs in the attempt's transaction once the answer matched. */
  onSuccess: (tx: Tx) => Promise<T>;
  /** Records a refusal (login activity, the flow's own event) in the transaction of the failure; `why` when the factor says. */
  onFailure?: (tx: Tx, why: string | undefined) => Promise<void>;
  /** Another answer than the role's usual one (a password change says "your current password"). */
  refusal?: () => AppError;
}

export type Proof<T> = ProofRequest & ProofHandlers<T>;

/** An answer that passed the factor's own checks, ready to be tried under its lock. */
export interface PendingProof {
  run<T>(handlers: ProofHandlers<T>): Promise<T>;
}

/**
 * Checks that the factor serves the purpose and lets it check what it can before anything counts
 * (400 for a stale passkey challenge). The caller may reserve attempts of its own before `run`.
 */
export async function beginProof(deps: Deps, request: ProofRequest): Promise<PendingProof> {
  const factor = factorById(request.factor);
  const { ceremony, user, client, actor } = request;
  if (!serves(factor, ceremony.purpose, ceremony.role)) throw notServed(factor, ceremony.purpose);
  const first = ceremony.role === 'first';
  if (!first && !user) throw new Error('a second factor is checked against a known account');
  const verifier = await factor.verifier({ deps, user, client, ceremony, actor }, request.answer);
  return {
    run: (handlers) =>
      underLockout(deps, {
        key: first ? passwordKey(request.email ?? user!.email) : codeKey(user!.id),
        policy: first ? PASSWORD_LOCKOUT : CODE_LOCKOUT,
        lock: first ? 'password' : 'code',
        user,
        client,
        ...(verifier.before ? { before: verifier.before } : {}),
        check: verifier.consume,
        onSuccess: handlers.onSuccess,
        onFailure: async (tx) => {
          await handlers.onFailure?.(tx, verifier.why);
          if (!first) await deps.audit.record(tx, { type: 'mfa.failed', actor, subject: user!.id, client, data: { method: factor.id } });
        },
        refusal: handlers.refusal ?? (first ? invalidCredentials : factor.refusal),
        answerLock: !factor.memorized,
      }),
  };
}

/** Checks a factor's answer for a purpose, under the lock its role calls for. */
export async function proveFactor<T>(deps: Deps, proof: Proof<T>): Promise<T> {
  return (await beginProof(deps, proof)).run(proof);
}

/** Prepares a factor's ceremony for an account (emails a code, makes a passkey challenge). */
export async function prepareFactor(deps: Deps, input: { factor: FactorId; user: User; client: ClientInfo; ceremony: Ceremony; actor: Actor }): Promise<unknown> {
  const factor = factorById(input.factor);
  if (!serves(factor, input.ceremony.purpose, input.ceremony.role) || !factor.prepare) throw notServed(factor, input.ceremony.purpose);
  return factor.prepare({ deps, ...input });
}
