import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { createKeyring } from '../crypto/encryption.ts';
import { render } from './layout.ts';
import { createMail } from './outbox.ts';
import { templates, type TemplateName } from './templates.ts';

const ctx = { appName: 'Bastion', baseUrl: 'http://localhost:3000' };

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

  it('puts the anti-phishing code, or a hint, at the top of every template in HTML and text', () => {
    const mail = createMail({ clock: new ManualClock(), keyring: createKeyring([{ id: 'k', key: Buffer.alloc(32) }]), ...ctx });
    const sample: { [T in TemplateName]: Parameters<(typeof templates)[T]>[0] } = {
      verify_email: { link: 'http://localhost:3000/verify-email?token=t', code: '123456' },
      signup_attempt: { loginUrl: 'http://localhost:3000/login', resetUrl: 'http://localhost:3000/forgot-password' },
      login_code: { code: '123456', minutes: 10 },
      account_locked: { until: Date.UTC(2026, 0, 1, 12), unlockUrl: 'http://localhost:3000/unlock?token=t', resetUrl: 'http://localhost:3000/forgot-password' },
      password_reset: { link: 'http://localhost:3000/reset-password?token=t', minutes: 60 },
      password_changed: { at: 0, resetUrl: 'http://localhost:3000/forgot-password' },
      two_factor_enabled: { method: 'Authenticator app', at: 0 },
      backup_code_used: { at: 0, remaining: 9 },
      backup_codes_regenerated: { at: 0 },
    };
    for (const name of Object.keys(templates) as TemplateName[]) {
      const withCode = mail.renderFor(name, sample[name] as never, 'Blue_Falcon-7');
      expect(withCode.html, name).toContain('Anti-phishing code: Blue_Falcon-7');
      expect(withCode.text.split('\n')[0], name).toBe('Anti-phishing code: Blue_Falcon-7');
      const without = mail.renderFor(name, sample[name] as never, null);
      expect(without.text.split('\n')[0], name).toContain('set an anti-phishing code');
    }
  });
});
