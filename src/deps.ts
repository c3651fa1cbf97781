/**
 * Everything a service needs, built once per process (or per test): configuration, clock,
 * database, keyring, mail, audit and throttle. Services take these explicitly, so a test can hand
 * them a fresh database and a clock it moves by hand.
 */
import type { Logger } from 'pino';
import { createAudit, type Audit } from './audit/audit.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { createKeyring, type Keyring } from './crypto/encryption.ts';
import { createMail, type AntiPhishingLookup, type Mail } from './mail/outbox.ts';
import { antiPhishingLookup } from './account/anti-phishing.ts';
import type { Store } from './store/database.ts';
import { createThrottle, type Throttle } from './throttle/index.ts';

export interface Deps {
  config: Config;
  clock: Clock;
  store: Store;
  keyring: Keyring;
  mail: Mail;
  audit: Audit;
  throttle: Throttle;
  log: Logger;
}

export function createDeps(options: {
  config: Config;
  store: Store;
  log: Logger;
  clock?: Clock;
  antiPhishingCode?: AntiPhishingLookup;
}): Deps {
  const { config, store, log } = options;
  const clock = options.clock ?? systemClock;
  const keyring = createKeyring(config.encryptionKeys);
  return {
    config,
    clock,
    store,
    keyring,
    log,
    mail: createMail({ clock, keyring, appName: config.appName, baseUrl: config.baseUrl, antiPhishingCode: options.antiPhishingCode ?? antiPhishingLookup(keyring) }),
    audit: createAudit(clock),
    throttle: createThrottle({ redisUrl: config.redisUrl, db: store.db, clock }),
  };
}
