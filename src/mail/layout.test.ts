import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { createKeyring } from '../crypto/encryption.ts';
import { render } from './layout.ts';
import { createMail } from './outbox.ts';
import { templates, type TemplateName } from './templates.ts';

const ctx = { appName: 'Bastion', baseUrl: 'http://localhost:3000' };
const LOCK = 'http://localhost:3000/lock-account?token=t';

describe('email layout', () => {
  it('escapes data in HTML and keeps it readable in text', () => {
    const out = render({ ...ctx, antiPhishingCode: null }, { subject: 'Hi', heading: '<b>x</b>', blocks: [{ kind: 'paragraph', text: '<script>alert(1)</script> & "q"' }] });
    expect(out.html).not.toContain('<script>');
    expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;');
    expect(out.text).toContain('<script>alert(1)</script> & "q"');
  });

  it('never renders a non-http link as a link', () => {
    const out = render({ ...ctx, antiPhishingCode: null }, { subject: 's', heading: 'h', blocks: [{ kind: 'button', label: 'Go', url: 'javascript:alert(1)' }] });
    expect(out.html).toContain('href="#"');
  });

  it('puts the anti-phishing code, or a hint, at the top of every template in HTML and text, and a lock link in every alert', () => {
    const mail = createMail({ clock: new ManualClock(), keyring: createKeyring([{ id: 'k', key: Buffer.alloc(32) }]), ...ctx });
    const sample: { [T in TemplateName]: Parameters<(typeof templates)[T]>[0] } = {
      verify_email: { link: 'http://localhost:3000/verify-email?token=t', code: '123456' },
      signup_attempt: { loginUrl: 'http://localhost:3000/login', resetUrl: 'http://localhost:3000/forgot-password' },
      login_code: { code: '123456', minutes: 10 },
      account_locked: { until: Date.UTC(2026, 0, 1, 12), unlockUrl: 'http://localhost:3000/unlock?token=t', resetUrl: 'http://localhost:3000/forgot-password', lockUrl: LOCK },
      factor_locked: { method: 'Authenticator app', until: null, otherFactorLifts: true, resetUrl: 'http://localhost:3000/forgot-password', recoveryUrl: 'http://localhost:3000/login', lockUrl: LOCK },
      password_reset: { link: 'http://localhost:3000/reset-password?token=t', minutes: 60 },
      password_changed: { at: 0, resetUrl: 'http://localhost:3000/forgot-password', lockUrl: LOCK },
      two_factor_enabled: { method: 'Authenticator app', at: 0, lockUrl: LOCK },
      passkey_added: { name: 'iCloud Keychain', device: 'Safari on iOS 18', at: 0, lockUrl: LOCK },
      passkey_removed: { name: 'iCloud Keychain', device: 'Safari on iOS 18', at: 0, lockUrl: LOCK },
      passkey_disabled: { name: 'YubiKey', at: 0, lockUrl: LOCK },
      backup_code_used: { at: 0, remaining: 9, lockUrl: LOCK },
      backup_codes_regenerated: { at: 0, lockUrl: LOCK },
      account_unlocked: { at: 0, lockUrl: LOCK },
      anti_phishing_changed: { at: 0, code: 'Blue_Falcon-7', lockUrl: LOCK },
      new_device: { device: 'Chrome 126 on Linux', ip: '81.2.69.142', location: 'Bracknell, GB', at: 0, link: 'http://localhost:3000/confirm-device?token=t', code: '123456', lockUrl: LOCK },
      new_device_login: { device: 'Chrome 126 on Linux', ip: '81.2.69.142', location: 'Bracknell, GB', at: 0, lockUrl: LOCK },
      account_frozen: { at: 0, cooldownHours: 24 },
      account_unfrozen: { at: 0, lockUrl: LOCK },
      email_changed: { newEmail: 'new@example.com', at: 0, cancelUrl: 'http://localhost:3000/email-change/cancel?token=t', lockUrl: LOCK },
      email_change_code: { code: '123456', minutes: 15 },
      email_change_requested: { newEmail: 'new@example.com', at: 0, cancelUrl: 'http://localhost:3000/email-change/cancel?token=t', lockUrl: LOCK },
      email_change_address_taken: { at: 0, resetUrl: 'http://localhost:3000/forgot-password' },
      two_factor_reset: { at: 0, heldUntil: 172_800_000, lockUrl: LOCK },
      withdrawal_address_added: { label: 'Ledger', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', at: 0, lockUrl: LOCK },
      whitelist_disabled: { at: 0, effectiveAt: 86_400_000, lockUrl: LOCK },
      kyc_submitted: { at: 0, resubmission: false, lockUrl: LOCK },
      two_factor_reset_code: { code: '123456', minutes: 10 },
      withdrawal_address_confirm: { label: 'Cold wallet', asset: 'BTC', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', link: 'http://localhost:3000/confirm-withdrawal-address?token=t', hours: 24 },
      withdrawal_address_removed: { label: 'Cold wallet', asset: 'BTC', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', at: 0 },
      whitelist_enabled: { at: 0, cancelled: false },
      withdrawal_confirm: { amount: '0.5', fee: '0.0002', asset: 'BTC', network: 'bitcoin', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', label: 'Cold wallet', link: 'http://localhost:3000/confirm-withdrawal?token=t', expiresAt: 1_800_000, at: 0, lockUrl: LOCK },
      withdrawal_queued: { amount: '0.5', asset: 'BTC', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', at: 0, lockUrl: LOCK },
      withdrawal_broadcast: { amount: '0.5', asset: 'BTC', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', txid: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16', at: 0 },
      withdrawal_completed: { amount: '0.5', asset: 'BTC', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', txid: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16', at: 0 },
      withdrawal_stopped: { amount: '0.5', asset: 'BTC', address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', outcome: 'cancelled', reason: 'you cancelled it', at: 0 },
      deposit_credited: { asset: 'BTC', amount: '0.05', network: 'bitcoin', txid: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16', at: 0 },
      two_factor_reset_requested: { at: 0, device: 'Chrome on Android', place: 'Berlin, Germany', cancelUrl: 'http://localhost:3000/2fa-reset/cancel?token=t', statusUrl: 'http://localhost:3000/2fa-reset/status?token=s' },
      two_factor_reset_approved: { at: 0, effectiveAt: 0, cancelUrl: 'http://localhost:3000/2fa-reset/cancel?token=t', statusUrl: 'http://localhost:3000/2fa-reset/status?token=s' },
      two_factor_reset_rejected: { at: 0, reason: 'The selfie does not match.', statusUrl: 'http://localhost:3000/2fa-reset/status?token=s' },
      two_factor_reset_cancelled: { at: 0, requestCancelled: true, staffLocked: false },
      two_factor_reset_sign_in_during_wait: { at: 0, effectiveAt: 0, method: 'your authenticator app', cancelUrl: 'http://localhost:3000/2fa-reset/cancel?token=t', statusUrl: 'http://localhost:3000/2fa-reset/status?token=s' },
      kyc_approved: { at: 0, lockUrl: LOCK },
      kyc_rejected: { at: 0, reason: 'The document is expired.', lockUrl: LOCK },
      kyc_resubmission_requested: { at: 0, items: 'Selfie', message: 'Your face is not visible.', kycUrl: 'http://localhost:3000/kyc', lockUrl: LOCK },
      kyc_documents_erased: { at: 0, lockUrl: LOCK },
      account_locked_by_staff: { at: 0, reason: 'Reported stolen phone' },
      account_unlocked_by_staff: { at: 0, lockUrl: LOCK },
      sessions_ended_by_staff: { at: 0, lockUrl: LOCK },
      staff_role_changed: { at: 0, role: 'support', lockUrl: LOCK },
    };
    for (const name of Object.keys(templates) as TemplateName[]) {
      const withCode = mail.renderFor(name, sample[name] as never, 'Blue_Falcon-7');
      expect(withCode.html, name).toContain('Anti-phishing code: Blue_Falcon-7');
      expect(withCode.text.split('\n')[0], name).toBe('Anti-phishing code: Blue_Falcon-7');
      const without = mail.renderFor(name, sample[name] as never, null);
      expect(without.text.split('\n')[0], name).toContain('set an anti-phishing code');
      // Every alert carries the one-click lock link.
      if ('lockUrl' in (sample[name] as object)) {
        expect(withCode.html, name).toContain(`href="${LOCK}"`);
        expect(withCode.text, name).toContain(LOCK);
      }
    }
  });
});
