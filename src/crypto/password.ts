/**
 * Password hashing: argon2id with OWASP's parameters (m=19456 KiB, t=2, p=1), computed off the
 * main thread by @node-rs/argon2. `dummyVerify` spends the same time for unknown accounts so that
 * timing does not reveal whether an email is registered.
 *
 * At most one hash per core runs at a time; the others wait their turn. Node's thread pool has four
 * threads, and four argon2id hashes of 19 MiB each on two cores do fewer per second than two (they
 * take turns on the cores and push each other's memory out of the cache: 110 against 125 a second
 * on the bench's machine), so a burst of sign-ins was answered more slowly than the machine could.
 */
import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import pLimit from 'p-limit';

/** One hash per core at a time, hashing and verifying alike (a dummy verification waits as a real one does). */
const oneHashPerCore = pLimit(availableParallelism());

const OPTIONS = { algorithm: 2 /* Argon2id (a const enum in the typings) */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return oneHashPerCore(() => hash(password, OPTIONS));
}

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await oneHashPerCore(() => verify(storedHash, password));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;


/** Runs a full argon2id verification against a throwaway hash; always false. */
export async function dummyVerify(password: string): Promise<false> {
  dummyHash ??= hashPassword('bastion-dummy-password');
  await verifyPassword(await dummyHash, password);
  return false;
}

/** How rules hash and check passwords, reached through Deps so a benchmark or a test can measure or replace it. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(storedHash: string, password: string): Promise<boolean>;
  /** Spends a verification's time for an unknown account; always false. */
  dummyVerify(password: string): Promise<false>;
}

export const argon2idHasher: PasswordHasher = { hash: hashPassword, verify: verifyPassword, dummyVerify };
