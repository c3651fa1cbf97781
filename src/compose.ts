/**
 * The composition root: builds the Deps every service receives from the configuration and the
 * store. The only place that wires rules into infrastructure (the mail layout's anti-phishing
 * slot asks the account for the recipient's code).
 */
import type { Logger } from 'pino';
import { antiPhishingLookup } from './account/anti-phishing.ts';
import { createAudit } from './audit/audit.ts';
import { auditKeys } from './audit/chain-keys.ts';
import { locate } from './client/location.ts';
import { describeDevice } from './client/user-agent.ts';
import { createLater } from './later.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { createKeyring } from './crypto/encryption.ts';
import { argon2idHasher } from './crypto/password.ts';
import { createFileVault } from './documents/vault.ts';
import type { Deps } from './deps.ts';
import { createMail, type AntiPhishingLookup } from './mail/outbox.ts';
import { countedHasher, createMetrics } from './metrics/metrics.ts';
import type { Store } from './store/database.ts';
import { createThrottle } from './throttle/index.ts';

export interface DepsOptions {
  config: Config;
  store: Store;
  log: Logger;
  clock?: Clock;
  antiPhishingCode?: AntiPhishingLookup;
  /** Replace a lookup (benchmarks, tests). */
  overrides?: Partial<Pick<Deps, 'passwords' | 'locate' | 'describeDevice'>>;
}

export function createDeps(options: DepsOptions): Deps {
  const { config, store, log } = options;
  const clock = options.clock ?? systemClock;
  const keyring = createKeyring(config.encryptionKeys);
  const metrics = createMetrics({ db: store.db, clock, processMetrics: config.metrics.token !== undefined || config.metrics.port !== undefined });
  return {
    config,
    clock,
    store,
    keyring,
    vault: createFileVault(config.kyc.storageDir, keyring),
    log,
    later: createLater(log),
    metrics,
    mail: createMail({ clock, keyring, appName: config.appName, baseUrl: config.baseUrl, antiPhishingCode: options.antiPhishingCode ?? antiPhishingLookup(keyring) }),
    audit: createAudit({ clock, store, keys: auditKeys(config.auditKey), log }),
    throttle: createThrottle({ redisUrl: config.redisUrl, db: store.db, clock }),
    passwords: countedHasher(options.overrides?.passwords ?? argon2idHasher, metrics),
    locate: options.overrides?.locate ?? locate,
    describeDevice: options.overrides?.describeDevice ?? describeDevice,
  };
}
