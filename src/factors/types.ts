/**
 * The one shape of a sign-in factor (as Ory Kratos' login strategies share one interface): what it
 * is, what it may be used for, what an account has of it, how its ceremony is prepared and how an
 * answer is checked inside the caller's transaction. The flows never name a method: they ask the
 * registry (registry.ts) and dispatch through prove.ts. Factors follow NIST SP 800-63B rev 4:
 * an emailed code or a backup code completes a sign-in but is never a strong (phishing-resistant
 * or device-bound) factor; a passkey verified by its user is both factors at once.
 */
import type { User } from '../account/users.ts';
import type { Actor } from '../audit/audit.ts';
import type { ClientInfo } from '../client/client-info.ts';
import type { AuthenticationCredential } from '../contracts/passkeys.ts';
import type { Deps } from '../deps.ts';
import type { AppError } from '../errors/app-error.ts';
import type { AliasableExpression, ExpressionBuilder } from 'kysely';
import type { Tx } from '../store/database.ts';
import type { Database } from '../store/schema.ts';

/**
 * What a factor may be used for. `recovery`: proving what one still can when a second factor is
 * lost (the password and the inbox): only the first gate of 2FA recovery, never enough on its own —
 * the identity re-check, the waiting period and the cancel link come after it.
 */
export type Purpose = 'sign_in' | 'step_up' | 'password_reset' | 'password_change' | 'recovery';

export interface Ceremony {
  purpose: Purpose;
  /** What the answer belongs to: "flow:<id hash>", "session:<id>", "reset:<token id>", "browser:<cookie hash>". */
  boundTo: string;
  /**
   * `first`: it names and proves the account on its own (the password, or a passkey alone): refused
   * like a wrong password. `second`: after the account is known, refused with the factor's own answer.
   * Either way a wrong answer counts toward the factor's lock (factors/locks.ts: the address's
   * password lock for a typed password, the factor's own lock on the account otherwise).
   */
  role: 'first' | 'second';
}

export interface FactorContext {
  deps: Deps;
  /** Undefined only for a first factor naming an address without an account: every factor refuses then. */
  user: User | undefined;
  client: ClientInfo;
  ceremony: Ceremony;
  actor: Actor;
}

/** An answer as the browser sends it. */
export type FactorAnswer = { code: string } | { credential: AuthenticationCredential } | { password: string };

export interface FactorStatus {
  /** The account has set it up (a disabled passkey counts: the account has two-factor authentication). */
  enrolled: boolean;
  /** It can be used now. */
  usable: boolean;
  /** How many there are (enabled passkeys, unused backup codes); 1 or 0 otherwise. */
  count: number;
}

/**
 * What an account holds of a factor, as named counts, each a scalar subquery on the account's id
 * (no count for a factor that holds nothing of its own), and what those counts mean. The registry
 * asks every factor's counts in one statement: GET /api/me and every sign-in ask it.
 */
export interface FactorStatusQuery {
  counts(eb: ExpressionBuilder<Database, never>, userId: string): Record<string, AliasableExpression<unknown>>;
  /** The counts as numbers, whichever dialect returned them. */
  read(counts: Readonly<Record<string, number>>): FactorStatus;
}

/** A factor the account always has: the password, the inbox. */
export const ALWAYS_SET_UP: FactorStatusQuery = { counts: () => ({}), read: () => ({ enrolled: true, usable: true, count: 1 }) };

export interface Verifier {
  /** Runs after an attempt is reserved, outside any transaction: slow checks (a password hash). */
  before?: () => Promise<boolean>;
  /** Runs in the attempt's transaction and uses the answer up (single-use factors); true when it matched. */
  consume: (tx: Tx) => Promise<boolean>;
  /** Why the last `consume` refused, where the factor can tell (for the audit trail, never the client). */
  why?: string;
}

/** A factor; `Id` is its method id (the registry derives the list of ids from the factors it holds). */
export interface Factor<Id extends string = string> {
  id: Id;
  /** Its name for people ("Authenticator app"): staff see it, never the secret. */
  label: string;
  /** Satisfies step-up and may unlock a frozen account. */
  strong: boolean;
  /** Offered as the second step of a sign-in, and counted by `availableMethods`. */
  secondFactor: boolean;
  /** May name and prove an account alone (role `first`). */
  firstFactor: boolean;
  /**
   * A memorized secret (NIST SP 800-63B §3.1.1): typed, and used again. Its refusal never says that it
   * just locked the account (the next attempt learns of the lock); login activity names no method for it.
   */
  memorized: boolean;
  /**
   * Its answer can be guessed (a password, a code): wrong answers of a second factor in a row end in a
   * hard lock (NIST SP 800-63B rev. 4 §3.2.2). A passkey's signature cannot be: its lock only
   * escalates, or whoever learns its handle could keep the owner's passkey out for good.
   */
  guessable: boolean;
  /**
   * Completes a sign-in only on a device that signed in to the account before (the emailed code:
   * from a new device its inbox is the one the new-device confirmation goes to, so password and
   * inbox would be one factor's worth of proof; a passkey or the authenticator app is asked there).
   */
  knownDeviceOnly: boolean;
  purposes: ReadonlySet<Purpose>;
  status: FactorStatusQuery;
  /**
   * Removes every credential of this factor the account has (a lost-2FA reset carried out); returns
   * how many. Absent for factors that hold nothing of their own (the password stays, the inbox is the account's).
   */
  removeAll?(tx: Tx, userId: string): Promise<number>;
  /** Prepares a ceremony (emails a code, makes a passkey challenge); returns what the browser needs, if anything. */
  prepare?(ctx: FactorContext & { user: User }): Promise<unknown>;
  /**
   * Checks what can be checked before an attempt is counted (the answer's kind, a live challenge:
   * those answer 400 and count nothing), then returns the verifier for the attempt.
   */
  verifier(ctx: FactorContext, answer: FactorAnswer): Promise<Verifier>;
  /** The answer to a refused second factor. */
  refusal(): AppError;
}

/** A verifier that never matches (a wrong kind of answer, no account). */
export const refusing: Verifier = { consume: async () => false };
