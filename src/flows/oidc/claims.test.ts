/** The amr claim (RFC 8176) from how a Bastion session was signed in (its auth_method, as login/complete.ts writes it). */
import { describe, expect, it } from 'vitest';
import { amrOf } from './claims.ts';

describe('amr values', () => {
  it.each([
    ['password+totp', ['pwd', 'otp', 'mfa']],
    ['password+email_code', ['pwd', 'otp', 'mfa']],
    ['password+backup_code', ['pwd', 'otp', 'mfa']],
    ['password+passkey', ['pwd', 'hwk', 'user', 'mfa']],
    // "Sign in with a passkey": something held and the user verified by it (fingerprint, face, PIN).
    ['passkey', ['hwk', 'user', 'mfa']],
    // A restricted session (the password only) is never an app's sign-in, but its amr says what it was.
    ['password', ['pwd']],
  ])('%s → %j', (authMethod, amr) => {
    expect(amrOf(authMethod)).toEqual(amr);
  });
});
