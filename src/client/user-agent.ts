/**
 * A readable device description from a user agent: "Chrome 126 on Linux", "Safari on iOS 17".
 * Only what the parser recognised, in plain letters and digits: the header is the client's own text,
 * and it reaches security emails beside the anti-phishing code ("Call support +1-555-0100" must not).
 */
import { UAParser } from 'ua-parser-js';

const name = (text: string | undefined): string | null => {
  const clean = (text ?? '').replace(/[^A-Za-z0-9 ._-]/g, '').trim().slice(0, 30);
  return clean && /^[A-Za-z]/.test(clean) ? clean : null;
};
const version = (text: string | undefined): string | null => (text && /^\d{1,5}(\.\d{1,5}){0,3}$/.test(text) ? text : null);

export function describeDevice(userAgent: string): string {
  if (!userAgent) return 'Unknown device';
  const ua = new UAParser(userAgent).getResult();
  const browserName = name(ua.browser.name);
  const major = version(ua.browser.version)?.split('.')[0];
  const osName = name(ua.os.name);
  const osVersion = version(ua.os.version);
  const browser = browserName ? `${browserName}${major ? ` ${major}` : ''}` : null;
  const os = osName ? `${osName}${osVersion ? ` ${osVersion}` : ''}` : null;
  const kind = ua.device.type === 'mobile' ? 'phone' : ua.device.type === 'tablet' ? 'tablet' : null;
  if (browser && os) return `${browser} on ${os}${kind ? ` (${kind})` : ''}`;
  return browser ?? os ?? 'Unknown device';
}
