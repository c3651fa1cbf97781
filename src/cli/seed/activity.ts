/**
 * Seeded login activity, as the sign-in flows record it (account/activity.ts), spread over the
 * accounts unevenly (most sign in a few times, a few very often) and over the last ACTIVITY_WINDOW:
 * mostly successful sign-ins from the account's own devices and places (authenticator app, now and
 * then the emailed code or a backup code), sign-ins from elsewhere (new_country), wrong passwords
 * and codes from the owner, and strangers' guesses, lockouts and sign-ins held for a new device.
 * Each account's latest successful sign-in leaves its session (signed out, or left to run out; a
 * token nobody holds) and moves its device's last-seen time on.
 */
import type { Deps } from '../../deps.ts';
import type { LoginActivityTable, SessionsTable } from '../../store/schema.ts';
import { ACTIVITY_WINDOW, type SeededAccount, type SeededDevice } from './accounts.ts';
import type { Browser, Place, Pools } from './pools.ts';
import { AscendingIds, RandomHex, type Random } from './random.ts';

type Result = LoginActivityTable['result'];

interface Kind {
  weight: number;
  result: Result;
  method: string;
  /** Whose browser: one of the account's devices, or a stranger's. */
  from: 'own' | 'travel' | 'stranger';
  purpose?: LoginActivityTable['purpose'];
}

/** Shares of the activity, in percent. */
const KINDS: Kind[] = [
  { weight: 62, result: 'success', method: 'totp', from: 'own' },
  { weight: 8, result: 'success', method: 'email_code', from: 'own' },
  { weight: 1, result: 'success', method: 'backup_code', from: 'own' },
  { weight: 5, result: 'success', method: 'totp', from: 'travel' },
  { weight: 8, result: 'wrong_password', method: 'password', from: 'own' },
  { weight: 4, result: 'wrong_code', method: 'totp', from: 'own' },
  { weight: 1, result: 'wrong_code', method: 'totp', from: 'own', purpose: 'step_up' },
  { weight: 7, result: 'wrong_password', method: 'password', from: 'stranger' },
  { weight: 2, result: 'device_pending', method: 'totp', from: 'travel' },
  { weight: 1.5, result: 'locked', method: 'password', from: 'stranger' },
  { weight: 0.5, result: 'known_device_required', method: 'password', from: 'stranger' },
];
const TOTAL_WEIGHT = KINDS.reduce((sum, k) => sum + k.weight, 0);
const STRONG = new Set(['totp', 'passkey']);
const NO_SIGNALS = '[]';

export interface ActivityRows {
  activity: LoginActivityTable[];
  sessions: SessionsTable[];
}

export class ActivityMaker {
  private readonly ids: { activity: AscendingIds; sessions: AscendingIds };
  private readonly hex = new RandomHex();

  constructor(
    private readonly deps: Pick<Deps, 'config'>,
    private readonly now: number,
    private readonly pools: Pools,
    private readonly random: Random,
    totals: { accounts: number; activity: number },
  ) {
    this.ids = { activity: new AscendingIds(totals.activity, random), sessions: new AscendingIds(totals.accounts, random) };
  }

  /** `rows` activity rows over these accounts (ids in ascending order across calls). */
  make(accounts: readonly SeededAccount[], rows: number): ActivityRows {
    const out: ActivityRows = { activity: [], sessions: [] };
    const counts = this.shares(accounts.length, rows);
    accounts.forEach((account, a) => {
      let latest: LoginActivityTable | undefined;
      for (let n = 0; n < counts[a]!; n++) {
        const row = this.row(account);
        out.activity.push(row);
        if (row.result === 'success' && row.at > (latest?.at ?? 0)) latest = row;
      }
      if (latest) out.sessions.push(this.session(latest));
    });
    return out;
  }

  /** Splits `rows` over `accounts`: exponential weights, one account in thirty eight times as active. */
  private shares(accounts: number, rows: number): number[] {
    const { random } = this;
    const weights = Array.from({ length: accounts }, () => -Math.log(1 - random.float()) * (random.float() < 1 / 30 ? 8 : 1));
    const total = weights.reduce((sum, w) => sum + w, 0);
    const counts = weights.map((w) => Math.floor((rows * w) / total));
    for (let left = rows - counts.reduce((sum, c) => sum + c, 0); left > 0; left--) counts[random.int(accounts)]!++;
    return counts;
  }

  private kind(): Kind {
    let draw = this.random.float() * TOTAL_WEIGHT;
    for (const kind of KINDS) if ((draw -= kind.weight) < 0) return kind;
    return KINDS[0]!;
  }

  private row(account: SeededAccount): LoginActivityTable {
    const { random, pools } = this;
    const kind = this.kind();
    const at = this.now - random.between(60_000, ACTIVITY_WINDOW);
    const device: SeededDevice | undefined = kind.from === 'stranger' ? undefined : random.pick(account.devices);
    const browser: Browser = device?.browser ?? random.pick(pools.browsers);
    const place: Place = kind.from === 'own' ? device!.place : random.pick(pools.places);
    const signals = kind.from === 'travel' && place.country !== account.home.country ? '["new_country"]' : NO_SIGNALS;
    if (device && kind.result === 'success' && at > device.lastSeenAt) {
      device.lastSeenAt = at;
      device.lastPlace = place;
    }
    return {
      id: this.ids.activity.next(),
      user_id: account.id,
      at,
      ip: place.ip,
      user_agent: browser.userAgent,
      device: browser.device,
      country: place.country,
      city: place.city,
      latitude: place.latitude,
      longitude: place.longitude,
      method: kind.method,
      result: kind.result,
      risk_signals: signals,
      purpose: kind.purpose ?? 'sign_in',
    };
  }

  private session(signIn: LoginActivityTable): SessionsTable {
    const lastActive = signIn.at + this.random.int(50 * 60_000);
    return {
      id: this.ids.sessions.next(),
      token_hash: this.hex.next(),
      user_id: signIn.user_id,
      restricted: 0,
      auth_method: `password+${signIn.method}`,
      step_up_at: STRONG.has(signIn.method ?? '') ? signIn.at : null,
      created_at: signIn.at,
      last_active_at: Math.min(lastActive, this.now),
      expires_at: signIn.at + this.deps.config.session.absoluteLifetimeMs,
      revoked_at: this.random.float() < 0.5 ? Math.min(lastActive, this.now) : null,
      ip: signIn.ip,
      user_agent: signIn.user_agent,
    };
  }
}
