/**
 * Password hashing: argon2id with OWASP's parameters (m=19456 KiB, t=2, p=1), computed off the
 * main thread by @node-rs/argon2. `dummyVerify` spends the same time for unknown accounts so that
 * timing does not reveal whether an email is registered.
 */
import { hash, verify } from '@node-rs/argon2';

const OPTIONS = { algorithm: 2 /* Argon2id (a const enum in the typings) */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;


/** Runs a full argon2id verification against a throwaway hash; always false. */
export async function dummyVerify(password: string): Promise<false> {
  dummyHash ??= hash('bastion-dummy-password', OPTIONS);
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
