/** Who is asking: the client IP (from X-Forwarded-For only when TRUST_PROXY says so) and user agent. */
import { isIP } from 'node:net';

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

/** A syntactically valid IP address in its plain form (an IPv4-mapped IPv6 address as IPv4), or null. */
export function validIp(text: string | undefined): string | null {
  if (!text) return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(text);
  const ip = mapped ? mapped[1]! : text;
  return isIP(ip) === 0 ? null : ip.toLowerCase();
}

/**
 * The network a per-IP limit counts: the address itself for IPv4, its /64 for IPv6 (one subscriber
 * gets a whole /64, so counting single IPv6 addresses would let anyone rotate past every limit).
 */
export function ipNetwork(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => (g.replace(/^0+(?=.)/, '') || '0').toLowerCase()).join(':')}::/64`;
}

/** The key of a per-IP rate limit: `name` and the client's network. */
export const perIpKey = (name: string, client: ClientInfo): string => `${name}:${ipNetwork(client.ip)}`;
