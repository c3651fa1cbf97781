/** Who is asking: the client IP (from X-Forwarded-For only when TRUST_PROXY says so) and user agent. */
import { isIP } from 'node:net';

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

/** The canonical text of an IPv6 address (compressed, lower case, embedded IPv4 as hex), or null. */
function canonicalIpv6(text: string): string | null {
  if (text.includes('%') || isIP(text) !== 6) return null;
  try {
    return new URL(`http://[${text}]`).hostname.slice(1, -1);
  } catch {
    return null;
  }
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d, in any spelling) as its IPv4 address. */
function unmapped(ipv6: string): string | null {
  const match = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ipv6);
  if (!match) return null;
  const [high, low] = [parseInt(match[1]!, 16), parseInt(match[2]!, 16)];
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/**
 * A syntactically valid IP address in one canonical form, or null: IPv4 as is, IPv6 compressed in
 * lower case, IPv4-mapped IPv6 as IPv4, a port some proxies add (1.2.3.4:5555, [2001:db8::1]:443)
 * left off. Zone ids (fe80::1%eth0) and anything else are refused: the text reaches emails.
 */
export function validIp(text: string | undefined): string | null {
  if (!text) return null;
  const trimmed = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(trimmed);
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(trimmed);
  const bare = bracketed ? bracketed[1]! : withPort ? withPort[1]! : trimmed;
  if (isIP(bare) === 4) return bare;
  const v6 = canonicalIpv6(bare);
  if (v6 === null) return null;
  return unmapped(v6) ?? v6;
}

/**
 * The network a per-IP limit counts: the address itself for IPv4, its /64 for IPv6 (one subscriber
 * gets a whole /64, so counting single IPv6 addresses would let anyone rotate past every limit).
 */
export function ipNetwork(ip: string): string {
  const v6 = isIP(ip) === 6 ? canonicalIpv6(ip) : null;
  if (v6 === null) return ip;
  const [head = '', tail = ''] = v6.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = v6.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The key of a per-IP rate limit: `name` and the client's network. */
export const perIpKey = (name: string, client: ClientInfo): string => `${name}:${ipNetwork(client.ip)}`;
