/**
 * Every sign-in factor, in the order a page should offer them. Adding a factor is one folder under
 * factors/ and one line here (Ory Kratos' strategy list; better-auth's plugin array). The core asks
 * the factors what an account has instead of knowing them (as Kratos' identity manager asks each
 * strategy to count its own credentials).
 */
import { expressionBuilder, type ExpressionBuilder } from 'kysely';
import type { Db, Tx } from '../store/database.ts';
import { precompile } from '../store/precompiled.ts';
import type { Database } from '../store/schema.ts';
import { backupCodeFactor } from './backup-codes/factor.ts';
import { emailCodeFactor } from './email-code/factor.ts';
import { passkeyFactor } from './passkey/factor.ts';
import { passwordFactor } from './password/factor.ts';
import { totpFactor } from './totp/factor.ts';
import type { Factor, FactorStatus } from './types.ts';

export const FACTORS = [passwordFactor, passkeyFactor, totpFactor, emailCodeFactor, backupCodeFactor] as const;

/** Every method id, derived from the list above. */
export type FactorId = (typeof FACTORS)[number]['id'];

export type SecondFactorId = Exclude<FactorId, 'password'>;
export type StrongMethod = 'passkey' | 'totp';

const byId = new Map<string, Factor>(FACTORS.map((f) => [f.id, f]));

export function factorById(id: FactorId): Factor {
  const factor = byId.get(id);
  if (!factor) throw new Error(`no factor ${id}`);
  return factor;
}

export const isStrong = (id: FactorId): boolean => factorById(id).strong;

/** The methods a sign-in may use on this device: those for known devices only are left out on a new one. */
export const onThisDevice = <T extends FactorId>(methods: readonly T[], knownDevice: boolean): T[] => methods.filter((m) => knownDevice || !factorById(m).knownDeviceOnly);

const SECOND: readonly Factor[] = FACTORS.filter((f) => f.secondFactor);

/** A count's column: its factor's id and its own name. */
const column = (factor: Factor, name: string) => `${factor.id}__${name}`;

/** Every factor's counts as one statement of scalar subqueries (no table of its own), selected by column. */
function countsOf(factors: readonly Factor[], eb: ExpressionBuilder<Database, never>, userId: string) {
  return factors.flatMap((factor) => Object.entries(factor.status.counts(eb, userId)).map(([name, count]) => count.as(column(factor, name))));
}

/** The names of each factor's counts (asked once: a factor's counts are always the same). */
const countNames = new Map<Factor, string[]>(FACTORS.map((factor) => [factor, Object.keys(factor.status.counts(expressionBuilder<Database, never>(), ''))]));

/**
 * Each factor's status from the statement's one row (counts come back as numbers or strings by
 * dialect). A count missing or not a number throws: read as 0, it would take an account for one
 * without two-factor authentication.
 */
function statusesFrom(factors: readonly Factor[], row: Readonly<Record<string, unknown>> | undefined): { factor: Factor; status: FactorStatus }[] {
  return factors.map((factor) => {
    const counts: Record<string, number> = {};
    for (const name of countNames.get(factor)!) {
      const value = row?.[column(factor, name)];
      const count = typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint' ? Number(value) : Number.NaN;
      if (!Number.isInteger(count) || count < 0) throw new Error(`the factor status statement gave ${String(value)} for ${column(factor, name)}`);
      counts[name] = count;
    }
    return { factor, status: factor.status.read(counts) };
  });
}

/** Every second factor's counts for one account: asked by every sign-in and GET /api/me, so compiled once. */
const secondFactorCounts = precompile(1, (db, userId: string) => db.selectNoFrom((eb) => countsOf(SECOND, eb, userId)));

async function secondFactorStatus(db: Db | Tx, userId: string): Promise<{ factor: Factor; status: FactorStatus }[]> {
  return statusesFrom(SECOND, (await secondFactorCounts(db, userId))[0] as Record<string, unknown> | undefined);
}

/** One factor's status for an account (what the factor contract checks). */
export async function factorStatus(db: Db | Tx, factor: Factor, userId: string): Promise<FactorStatus> {
  const holdsNothing = countNames.get(factor)!.length === 0;
  const row = holdsNothing ? undefined : await db.selectNoFrom((eb) => countsOf([factor], eb, userId)).executeTakeFirst();
  return statusesFrom([factor], row as Record<string, unknown> | undefined)[0]!.status;
}

/** The strong factors the account can use now, in offer order. */
export async function strongMethods(db: Db | Tx, userId: string): Promise<StrongMethod[]> {
  const all = await secondFactorStatus(db, userId);
  return all.filter((s) => s.factor.strong && s.status.usable).map((s) => s.factor.id as StrongMethod);
}

export async function hasStrongFactor(db: Db | Tx, userId: string): Promise<boolean> {
  return (await strongMethods(db, userId)).length > 0;
}

/**
 * The second factors a user can sign in with, in offer order; empty when the account has not set up
 * two-factor authentication (no strong factor enrolled). An account whose only passkey was disabled
 * (a possible copy) keeps its emailed code and backup codes: it has 2FA, and must not fall back to
 * the enroll-anything path of a new account.
 */
export async function availableMethods(db: Db | Tx, userId: string): Promise<SecondFactorId[]> {
  return methodsOf(await secondFactorStatus(db, userId));
}

function methodsOf(all: { factor: Factor; status: FactorStatus }[]): SecondFactorId[] {
  if (!all.some((s) => s.factor.strong && s.status.enrolled)) return [];
  return all.filter((s) => s.status.usable).map((s) => s.factor.id as SecondFactorId);
}

/** What the account's security summary shows, each factor asked once: the methods (as availableMethods) and how many of each it has (enabled passkeys, unused backup codes). */
export async function secondFactorOverview(db: Db | Tx, userId: string): Promise<{ methods: SecondFactorId[]; count: (id: SecondFactorId) => number }> {
  const all = await secondFactorStatus(db, userId);
  const counts = new Map(all.map((s) => [s.factor.id, s.status.count]));
  return { methods: methodsOf(all), count: (id) => counts.get(id) ?? 0 };
}

/** Each second factor's name and how many the account has (what support may see: never a secret). */
export async function secondFactorSummary(db: Db | Tx, userId: string): Promise<{ id: SecondFactorId; label: string; count: number }[]> {
  const all = await secondFactorStatus(db, userId);
  return all.map((s) => ({ id: s.factor.id as SecondFactorId, label: s.factor.label, count: s.status.enrolled ? s.status.count : 0 }));
}

/**
 * Removes every second factor of the account (a lost-2FA reset carried out), in the caller's
 * transaction; returns how many credentials each factor had.
 */
export async function removeSecondFactors(tx: Tx, userId: string): Promise<Partial<Record<SecondFactorId, number>>> {
  const removed: Partial<Record<SecondFactorId, number>> = {};
  for (const factor of SECOND) {
    if (factor.removeAll) removed[factor.id as SecondFactorId] = await factor.removeAll(tx, userId);
  }
  return removed;
}
