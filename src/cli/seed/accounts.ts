/**
 * Seeded accounts, each as sign-up, verification and enrolment leave one: a verified address, the
 * run's password hash, the current terms accepted at sign-up, an authenticator app confirmed (the
 * run's TOTP secret sealed for this account, as factors/totp/enrollment.ts seals it), ten backup
 * codes (hashes of codes nobody was shown), one to three known devices (the first is the browser
 * that verified the address; its cookie is derivable, see SeedRun), and for about one in five an
 * anti-phishing code.
 */
import { sealAntiPhishingCode } from '../../account/anti-phishing.ts';
import { hashToken } from '../../crypto/tokens.ts';
import type { Deps } from '../../deps.ts';
import { BACKUP_CODE_COUNT } from '../../factors/backup-codes/codes.ts';
import { secretContext } from '../../factors/totp/credentials.ts';
import { totpStep } from '../../factors/totp/otp.ts';
import type { BackupCodesTable, KnownDevicesTable, TotpCredentialsTable, UsersTable } from '../../store/schema.ts';
import type { Browser, Place, Pools } from './pools.ts';
import { AscendingIds, RandomHex, type Random } from './random.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;
/** Seeded activity falls in the last ACTIVITY_WINDOW; accounts are older (up to two years). */
export const ACTIVITY_WINDOW = 180 * DAY;

/** What one run of the seed shares: the secrets a benchmark signs in with. */
export interface SeedRun {
  /** Makes this run's addresses unique: seed-<run>-<i>@seed.invalid. */
  run: string;
  password: string;
  passwordHash: string;
  /** Every account of the run has this TOTP secret. */
  totpSecret: Uint8Array;
  /** The device cookie of account i's first known device is `${deviceToken}-${i}`. */
  deviceToken: string;
  now: number;
}

/** Where every seed account's address ends (.invalid is reserved: RFC 2606). */
export const SEED_DOMAIN = '@seed.invalid';
export const seedEmail = (run: string, i: number | string) => `seed-${run}-${i}${SEED_DOMAIN}`;
export const seedDeviceCookie = (run: SeedRun, i: number | string) => `${run.deviceToken}-${i}`;

export interface SeededDevice {
  hash: string;
  browser: Browser;
  place: Place;
  createdAt: number;
  /** Moved on by the activity seeded for the device (its latest successful sign-in). */
  lastSeenAt: number;
  lastPlace: Place;
}

export interface SeededAccount {
  id: string;
  home: Place;
  devices: SeededDevice[];
}

export interface AccountRows {
  users: UsersTable[];
  totp: TotpCredentialsTable[];
  backupCodes: BackupCodesTable[];
  accounts: SeededAccount[];
}

const PHRASES = ['falcon', 'harbor', 'maple', 'comet', 'violet', 'cedar', 'orbit', 'lantern', 'tiger', 'quartz', 'meadow', 'ember'];

/** Makes the rows of accounts; ids ascend across calls (see AscendingIds). */
export class AccountMaker {
  private readonly ids: { users: AscendingIds; totp: AscendingIds; backupCodes: AscendingIds; devices: AscendingIds };
  private readonly hex = new RandomHex();

  constructor(
    private readonly deps: Pick<Deps, 'keyring' | 'config'>,
    private readonly run: SeedRun,
    private readonly pools: Pools,
    private readonly random: Random,
    total: number,
  ) {
    this.ids = {
      users: new AscendingIds(total, random),
      totp: new AscendingIds(total, random),
      backupCodes: new AscendingIds(total * BACKUP_CODE_COUNT, random),
      devices: new AscendingIds(total * 3, random),
    };
  }

  /** Accounts `from` … `from + count - 1` of the run (numbered from 1). */
  make(from: number, count: number): AccountRows {
    const rows: AccountRows = { users: [], totp: [], backupCodes: [], accounts: [] };
    const { random, run, deps } = this;
    for (let i = from; i < from + count; i++) {
      const id = this.ids.users.next();
      const createdAt = run.now - ACTIVITY_WINDOW - DAY - random.int(540 * DAY);
      const verifiedAt = createdAt + random.between(2 * MINUTE, 30 * MINUTE);
      const enrolledAt = verifiedAt + random.between(MINUTE, 10 * MINUTE);
      const antiPhishing = random.float() < 0.2 ? `${random.pick(PHRASES)}-${random.between(1000, 10_000)}` : null;
      rows.users.push({
        id,
        email: seedEmail(run.run, i),
        password_hash: run.passwordHash,
        email_verified_at: verifiedAt,
        password_changed_at: null,
        kyc_level: 0,
        anti_phishing_sealed: sealAntiPhishingCode(deps.keyring, id, antiPhishing),
        frozen_at: null,
        webauthn_user_id: null,
        kyc_status: 'none',
        staff_role: null,
        staff_locked_at: null,
        staff_lock_reason: null,
        staff_locked_by: null,
        terms_version: deps.config.terms.version,
        terms_accepted_at: createdAt,
        created_at: createdAt,
        updated_at: antiPhishing ? enrolledAt + random.int(ACTIVITY_WINDOW) : enrolledAt,
      });
      rows.totp.push({
        id: this.ids.totp.next(),
        user_id: id,
        secret_sealed: deps.keyring.seal(Buffer.from(run.totpSecret), secretContext(id)),
        last_used_step: totpStep(enrolledAt),
        confirmed_at: enrolledAt,
        created_at: enrolledAt - random.between(20_000, 3 * MINUTE),
      });
      for (let c = 0; c < BACKUP_CODE_COUNT; c++) {
        rows.backupCodes.push({ id: this.ids.backupCodes.next(), user_id: id, code_hash: this.hex.next(), used_at: null, created_at: enrolledAt });
      }
      rows.accounts.push({ id, ...this.devices(i, verifiedAt, enrolledAt) });
    }
    return rows;
  }

  /** The account's known devices: the one that verified the address, and up to two more added before the activity window. */
  private devices(i: number, verifiedAt: number, enrolledAt: number): { home: Place; devices: SeededDevice[] } {
    const { random, pools } = this;
    const home = random.pick(pools.places);
    const draw = random.float();
    const count = draw < 0.55 ? 1 : draw < 0.85 ? 2 : 3;
    const devices: SeededDevice[] = [];
    for (let d = 0; d < count; d++) {
      const first = d === 0;
      const place = first || random.float() < 0.6 ? home : random.pick(pools.places);
      const createdAt = first ? verifiedAt : random.between(enrolledAt, this.run.now - ACTIVITY_WINDOW);
      devices.push({ hash: first ? hashToken(seedDeviceCookie(this.run, i)) : this.hex.next(), browser: random.pick(pools.browsers), place, createdAt, lastSeenAt: createdAt, lastPlace: place });
    }
    return { home, devices };
  }

  /** The known_devices rows, once the activity has moved their last-seen times on. */
  deviceRows(accounts: readonly SeededAccount[]): KnownDevicesTable[] {
    return accounts.flatMap((a) =>
      a.devices.map((d) => ({
        id: this.ids.devices.next(),
        user_id: a.id,
        device_hash: d.hash,
        label: d.browser.device,
        created_at: d.createdAt,
        last_seen_at: d.lastSeenAt,
        last_ip: d.lastPlace.ip,
        last_location: d.lastPlace.label,
      })),
    );
  }
}
