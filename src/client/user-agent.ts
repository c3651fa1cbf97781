/** A readable device description from a user agent: "Chrome 126 on Linux", "Safari on iOS 17". */
import { UAParser } from 'ua-parser-js';

export function describeDevice(userAgent: string): string {
  if (!userAgent) return 'Unknown device';
  const ua = new UAParser(userAgent).getResult();
  const major = ua.browser.version?.split('.')[0];
  const browser = ua.browser.name ? `${ua.browser.name}${major ? ` ${major}` : ''}` : null;
  const os = ua.os.name ? `${ua.os.name}${ua.os.version ? ` ${ua.os.version}` : ''}` : null;
  const kind = ua.device.type === 'mobile' ? 'phone' : ua.device.type === 'tablet' ? 'tablet' : null;
  if (browser && os) return `${browser} on ${os}${kind ? ` (${kind})` : ''}`;
  return browser ?? os ?? userAgent.slice(0, 60);
}
