/**
 * Bastion's cookies, their names and attributes, in one place. On HTTPS every cookie is Secure and
 * carries the `__Host-` prefix (no Domain, Path=/), so a sibling subdomain cannot set or shadow it.
 */
import type { CookieSerializeOptions } from '@fastify/cookie';

export type CookieKind = 'session' | 'flow' | 'device' | 'passkey';

const BASE_NAMES: Record<CookieKind, string> = {
  session: 'bastion_session',
  flow: 'bastion_flow',
  device: 'bastion_device',
  /** Binds a passwordless (passkey) sign-in's challenge to the browser that asked for it. */
  passkey: 'bastion_passkey',
};

export interface Cookies {
  name(kind: CookieKind): string;
  all(): string[];
  options(maxAgeMs?: number): CookieSerializeOptions;
}

export function createCookies(https: boolean): Cookies {
  const name = (kind: CookieKind) => (https ? `__Host-${BASE_NAMES[kind]}` : BASE_NAMES[kind]);
  return {
    name,
    all: () => (Object.keys(BASE_NAMES) as CookieKind[]).map(name),
    options: (maxAgeMs) => ({
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: https,
      ...(maxAgeMs !== undefined ? { maxAge: Math.floor(maxAgeMs / 1000) } : {}),
    }),
  };
}
