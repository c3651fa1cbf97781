/** The cookies a test browser holds (their names over plain HTTP; HTTPS adds a __Host- prefix), and a browser holding a copied session cookie. */
import type { TestClient } from './client.ts';
import type { TestApp } from './harness.ts';

export const SESSION = 'bastion_session';
export const FLOW = 'bastion_flow';
export const DEVICE = 'bastion_device';

/** A second browser holding a copy of `client`'s session cookie. */
export function withToken(t: TestApp, token: string, options: { origin?: string } = {}): TestClient {
  const c = t.client(options);
  c.cookies.set(SESSION, token);
  return c;
}
