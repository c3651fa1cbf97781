/**
 * Everything a service receives: configuration, clock, database, keyring, file vault, mail, audit, throttle,
 * log, and the three lookups a benchmark or a test may want to measure or replace (the password
 * hasher, IP locations, user-agent names). Services take these explicitly, so a test hands them a
 * fresh database and a clock it moves by hand. Built by compose.ts; this file
 * imports no rule.
 */
import type { Logger } from 'pino';
import type { Audit } from './audit/audit.ts';
import type { Location } from './client/location.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Keyring } from './crypto/encryption.ts';
import type { FileVault } from './documents/vault.ts';
import type { PasswordHasher } from './crypto/password.ts';
import type { Mail } from './mail/outbox.ts';
import type { Store } from './store/database.ts';
import type { Throttle } from './throttle/index.ts';
import type { Later } from './later.ts';
import type { Metrics } from './metrics/metrics.ts';

export interface Deps {
  config: Config;
  clock: Clock;
  store: Store;
  keyring: Keyring;
  /** Encrypted files at rest (identity-document photos), under KYC_STORAGE_DIR. */
  vault: FileVault;
  mail: Mail;
  audit: Audit;
  throttle: Throttle;
  log: Logger;
  /** Work started after the answer is sent (later.ts): what must not show in an answer's time. */
  later: Later;
  /** Counters and histograms for GET /metrics (metrics/metrics.ts). */
  metrics: Metrics;
  passwords: PasswordHasher;
  /** Approximate location of an IP address (offline dataset). */
  locate(ip: string): Location;
  /** "Chrome 126 on Linux" from a user agent. */
  describeDevice(userAgent: string): string;
}
