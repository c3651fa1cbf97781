/** Request and response pieces every flow shares: the bounded fields, the error body, `{status}` answers, the public user. */
import { z } from 'zod';

/**
 * An internationalised domain as mail servers take it (IDNA punycode, lower case); the text unchanged
 * when it is plain ASCII or no host name at all (the address check then refuses it). Only a bare
 * domain is converted: with a path, port, query or anything else a URL would silently drop, it is kept
 * as it is, so that it fails.
 */
export function asciiDomain(email: string): string {
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  if (at < 0 || /^[\x21-\x7e]*$/.test(domain) || /[\s/\\?#:@%[\]]/.test(domain)) return email;
  try {
    const host = new URL(`http://${domain}`).hostname;
    return host ? `${email.slice(0, at)}@${host}` : email;
  } catch {
    return email;
  }
}

/** An address as zod checks it, with punycode labels allowed everywhere, the top-level domain too (xn--p1ai). */
const ADDRESS = /^(?!\.)(?!.*\.\.)[A-Za-z0-9_'+\-.]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

const addressOf = (maxLocal: number | null) =>
  z
    .string()
    .trim()
    .max(254, { message: 'must be at most 254 characters' })
    .transform(asciiDomain)
    .pipe(
      z
        .email({ message: 'must be a valid email address', pattern: ADDRESS })
        .max(254, { message: 'must be at most 254 characters' })
        .refine((e) => maxLocal === null || e.lastIndexOf('@') <= maxLocal, { message: `must have at most ${maxLocal} characters before the @` }),
    );

/** An address given to find an account (sign-in, reset, resend): any an account may have, the domain in punycode. */
export const emailField = addressOf(null);

/** A new address for an account (sign-up, email change): RFC 5321 sizes, a local part of at most 64 octets and 254 in all. */
export const newEmailField = addressOf(64);

/**
 * Length rules belong to the password policy, which names the rule that failed; this only bounds
 * input, and refuses text that is not Unicode (a lone UTF-16 surrogate would be replaced when hashed,
 * so two different passwords would compare equal).
 */
export const passwordField = z
  .string()
  .min(1, { message: 'is required' })
  .max(4096, { message: 'is far too long' })
  .refine((p) => !/\p{Cs}/u.test(p), { message: 'must be valid Unicode text (it has an unpaired surrogate)' });

/** Typed text without control characters (PostgreSQL refuses a NUL byte); `lines` lets newlines and tabs in. */
export const plainText = (max: number, options: { lines?: boolean } = {}) =>
  z
    .string()
    .trim()
    .max(max, { message: `must be at most ${max} characters` })
    .refine((v) => !(options.lines ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/ : /[\u0000-\u001f\u007f]/).test(v), { message: 'must not contain control characters' });

/** A record's id as the API hands it out (UUIDs): anything else is refused before it reaches a query. */
export const idField = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, { message: 'is not an id this API gave out' });

export const tokenField = z.string().min(1, { message: 'is required' }).max(512);
export const codeField = z.string().trim().min(1, { message: 'is required' }).max(64);

/** How long an Idempotency-Key's first answer is kept (and the key may not be used for another request). */
export const IDEMPOTENCY_KEY_KEPT_MS = 24 * 60 * 60_000;

export const errorBody = z.looseObject({ error: z.string(), message: z.string() }).describe('Error: a stable code and a human message');
export type ErrorBody = z.infer<typeof errorBody>;

/** `{status: "…"}`: the answer of an action that has nothing else to say. */
export const statusBody = <T extends string>(status: T) => z.object({ status: z.literal(status) });

export const publicUser = z.object({ id: z.string(), email: z.string(), emailVerified: z.boolean(), createdAt: z.string() });
export type PublicUser = z.infer<typeof publicUser>;

export function toPublicUser(user: { id: string; email: string; email_verified_at: number | null; created_at: number }): PublicUser {
  return { id: user.id, email: user.email, emailVerified: user.email_verified_at !== null, createdAt: new Date(user.created_at).toISOString() };
}
