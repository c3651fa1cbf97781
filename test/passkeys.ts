/** Journeys for passkey tests: an account whose only second factor is a passkey made by a software authenticator. */
import { expect } from 'vitest';
import { knownBrowser, PASSWORD, registerVerified, uniqueEmail } from './accounts.ts';
import type { TestClient } from './client.ts';
import { TEST_BASE_URL, type TestApp } from './harness.ts';
import { SUBJECTS } from './mail.ts';
import { SoftAuthenticator, type SoftAuthenticatorOptions } from './soft-authenticator.ts';

export const ORIGIN = TEST_BASE_URL;

/** The AAGUID of iCloud Keychain (a provider the server knows by name). */
export const ICLOUD = 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd';

export interface PasskeyUser {
  email: string;
  password: string;
  authenticator: SoftAuthenticator;
  backupCodes: string[];
  passkeyId: string;
  /** Holds the full session the enrollment made. */
  client: TestClient;
}

/** Adds a passkey from a session (options, the authenticator's answer, the finish); returns the finish response. */
export async function addPasskey(client: TestClient, authenticator: SoftAuthenticator, body: { name?: string } = {}) {
  const options = await client.post('/api/me/passkeys/registration-options');
  expect(options.status, JSON.stringify(options.body)).toBe(200);
  return client.post('/api/me/passkeys', { credential: authenticator.create(options.body.options, ORIGIN), ...body });
}

/** Registers, verifies, signs in (restricted) and enrolls a passkey as the only second factor. */
export async function passkeyUser(t: TestApp, options: SoftAuthenticatorOptions = {}, email = uniqueEmail('pk')): Promise<PasskeyUser> {
  const client = t.client();
  const { password } = await registerVerified(t, email, PASSWORD, client);
  const login = await client.post('/api/auth/login', { email, password });
  expect(login.body.next).toEqual(['enroll_2fa']);
  const authenticator = new SoftAuthenticator(options);
  const added = await addPasskey(client, authenticator);
  expect(added.status, JSON.stringify(added.body)).toBe(200);
  return { email, password, authenticator, backupCodes: added.body.backupCodes, passkeyId: added.body.passkey.id, client };
}

/** "Sign in with a passkey" in `client`: options, the authenticator's answer, verify. */
export async function passwordlessSignIn(client: TestClient, authenticator: SoftAuthenticator, overrides: Parameters<SoftAuthenticator['get']>[2] = {}) {
  const options = await client.post('/api/auth/passkey/options');
  expect(options.status, JSON.stringify(options.body)).toBe(200);
  return client.post('/api/auth/passkey/verify', { credential: authenticator.get(options.body.options, ORIGIN, overrides) });
}

/** Password, then the passkey as the second factor. */
export async function passwordThenPasskey(client: TestClient, user: { email: string; password: string }, authenticator: SoftAuthenticator) {
  const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  const options = await client.post('/api/auth/login/passkey-options', { flow: login.body.flow });
  expect(options.status, JSON.stringify(options.body)).toBe(200);
  return client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'passkey', credential: authenticator.get(options.body.options, ORIGIN) });
}

/** Step-up with the passkey in a signed-in client. */
export async function stepUpWithPasskey(client: TestClient, authenticator: SoftAuthenticator) {
  const options = await client.post('/api/auth/step-up/passkey-options');
  expect(options.status, JSON.stringify(options.body)).toBe(200);
  return client.post('/api/auth/step-up', { method: 'passkey', credential: authenticator.get(options.body.options, ORIGIN) });
}

/** A session that is not stepped up: signed in with an emailed code. */
export async function emailCodeSession(t: TestApp, user: { email: string; password: string; client: TestClient }): Promise<TestClient> {
  const client = knownBrowser(t, user);
  const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect((await client.post('/api/auth/login/email-code', { flow: login.body.flow })).status).toBe(202);
  const mail = (await t.mailTo(user.email)).filter((m) => m.subject === SUBJECTS.signInCode).at(-1)!;
  const code = /^ {4}(\d{6})$/m.exec(mail.text)![1]!;
  const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'email_code', code });
  expect(verify.status, JSON.stringify(verify.body)).toBe(200);
  return client;
}
