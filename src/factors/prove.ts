/**
 * The one way a factor is checked, whatever asks (sign-in's first and second step, step-up, password
 * reset, password change, 2FA recovery), as Ory Kratos' login handler loops over strategies without
 * naming one. It refuses a factor for a purpose it does not serve, lets the factor check what it can
 * before an attempt counts, then runs the attempt under the lock its role calls for (account/locks.ts):
 * - a typed password counts toward the address's password lock; any other guessable factor toward
 *   its own lock on the account (factors/locks.ts: 10 wrong lock it, escalating; the 100th in a row
 *   for good); a passkey's signature toward none;
 * - a first factor (the password, a passkey alone) is refused like a wrong password (no hint whether
 *   the address has an account); a second factor with the factor's own answer, recorded as
 *   `mfa.failed` and in the owner's login activity with what it was for (a step-up, a reset…);
 * - a strong factor's success lifts the hard locks of the account's other factors.
 */
import { recordAttempt } from '../account/activity.ts';
import { underLockout } from '../account/locks.ts';
import type { User } from '../account/users.ts';
import type { Actor } from '../audit/audit.ts';
import type { ClientInfo } from '../client/client-info.ts';
import type { Deps } from '../deps.ts';
import { badRequest, unauthorized, type AppError } from '../errors/app-error.ts';
import type { Tx } from '../store/database.ts';
import { liftHardLocksBesides, lockOf } from './locks.ts';
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
  const lock = lockOf(factor, user, request.email, ceremony.purpose);
  return {
    run: async (handlers) => {
      const value = await underLockout(deps, {
        lock,
        user,
        client,
        ...(verifier.before ? { before: verifier.before } : {}),
        check: verifier.consume,
        onSuccess: handlers.onSuccess,
        onFailure: async (tx) => {
          await handlers.onFailure?.(tx, verifier.why);
          if (first) return;
          await deps.audit.record(tx, { type: 'mfa.failed', actor, subject: user!.id, client, data: { method: factor.id, purpose: ceremony.purpose } });
          await recordAttempt(deps, tx, { userId: user!.id, client, result: factor.id === 'passkey' ? 'passkey_refused' : 'wrong_code', method: factor.id, purpose: ceremony.purpose });
        },
        refusal: handlers.refusal ?? (first ? invalidCredentials : factor.refusal),
        answerLock: !factor.memorized,
      });
      if (factor.strong && user) await liftHardLocksBesides(deps, user, factor);
      return value;
    },
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
