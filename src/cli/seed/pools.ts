/**
 * What seeded sign-ins come from: browsers people use (their names as the app derives them) and
 * public IPv4 addresses that the offline location database places somewhere, each looked up once.
 */
import type { Deps } from '../../deps.ts';
import type { Random } from './random.ts';

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
];

export interface Browser {
  userAgent: string;
  /** "Chrome 131 on Windows 10", as the app names it. */
  device: string;
}

export interface Place {
  ip: string;
  country: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  /** "Bracknell, GB". */
  label: string;
}

export interface Pools {
  browsers: Browser[];
  places: Place[];
}

/** Not public: this network, 10/8, loopback, 100.64/10, link-local, 172.16/12, 192.168/16, multicast and above. */
function isPublic(a: number, b: number): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 100 && b >= 64 && b < 128) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b < 32) return false;
  return !(a === 192 && b === 168);
}

export function buildPools(deps: Pick<Deps, 'locate' | 'describeDevice'>, random: Random, size = 4000): Pools {
  const browsers = USER_AGENTS.map((userAgent) => ({ userAgent, device: deps.describeDevice(userAgent) }));
  const places: Place[] = [];
  // Most of the IPv4 space is placed; the few tries that are not are skipped.
  for (let tries = 0; places.length < size && tries < size * 20; tries++) {
    const a = random.between(1, 224);
    const b = random.int(256);
    if (!isPublic(a, b)) continue;
    const ip = `${a}.${b}.${random.int(256)}.${random.between(1, 255)}`;
    const where = deps.locate(ip);
    if (where.country) places.push({ ip, ...where });
  }
  if (places.length === 0) throw new Error('the location database placed none of the addresses tried');
  return { browsers, places };
}
