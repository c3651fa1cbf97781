/**
 * Risk signals for a sign-in that passed both factors:
 * - new_country: the account has never signed in successfully from this country;
 * - impossible_travel: faster than 1,000 km/h from the last successful sign-in's location;
 * - recent_failures: 5 or more failed attempts on the account in the last hour.
 */
import type { Deps } from '../deps.ts';
import type { ClientInfo } from '../client/client-info.ts';
import { distanceKm } from '../client/location.ts';

export const TRAVEL_KMH = 1000;
const FAILURE_WINDOW_MS = 3_600_000;
const FAILURES = 5;

export async function riskSignals(deps: Deps, userId: string, client: ClientInfo): Promise<string[]> {
  const db = deps.store.db;
  const now = deps.clock.now();
  const here = deps.locate(client.ip);
  const signals: string[] = [];
  const successes = db.selectFrom('login_activity').where('user_id', '=', userId).where('result', '=', 'success');

  if (here.country) {
    const seen = await successes.select('id').where('country', '=', here.country).limit(1).executeTakeFirst();
    const any = await successes.select('id').where('country', 'is not', null).limit(1).executeTakeFirst();
    if (any && !seen) signals.push('new_country');
  }
  const last = await successes.select(['at', 'latitude', 'longitude']).where('latitude', 'is not', null).orderBy('at', 'desc').limit(1).executeTakeFirst();
  if (last && last.latitude !== null && last.longitude !== null && here.latitude !== null && here.longitude !== null) {
    const km = distanceKm({ latitude: last.latitude, longitude: last.longitude }, { latitude: here.latitude, longitude: here.longitude });
    const hours = Math.max(now - last.at, 60_000) / 3_600_000;
    if (km > 50 && km / hours > TRAVEL_KMH) signals.push('impossible_travel');
  }
  const failures = await db
    .selectFrom('login_activity')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('at', '>', now - FAILURE_WINDOW_MS)
    .where('result', 'in', ['wrong_password', 'wrong_code', 'locked'])
    .executeTakeFirstOrThrow();
  if (Number(failures.n) >= FAILURES) signals.push('recent_failures');
  return signals;
}
