/**
 * Development convenience: without DEPOSIT_XPUB_BTC and DEPOSIT_XPUB_EVM, throwaway extended public
 * keys are made on first start (their private halves are never kept, so nothing sent to them can be
 * spent) and stored in DATA_DIR/deposit-keys.json, so addresses stay the same across restarts.
 * Production must set both (config refuses to make them there).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { throwawayDepositKeys } from '../wallet/watch-only.ts';

export function loadOrCreateDepositKeys(dataDir: string): { bitcoin: string; evm: string } {
  const file = join(dataDir, 'deposit-keys.json');
  if (existsSync(file)) {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { bitcoin?: unknown; evm?: unknown };
    if (typeof data.bitcoin !== 'string' || typeof data.evm !== 'string') throw new Error(`${file} is damaged: expected bitcoin and evm extended public keys`);
    return { bitcoin: data.bitcoin, evm: data.evm };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const keys = throwawayDepositKeys();
  try {
    writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process made it first: use theirs. Anything else (a read-only DATA_DIR) is reported.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateDepositKeys(dataDir);
    throw error;
  }
  return keys;
}
