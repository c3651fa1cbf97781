/**
 * Where the encrypted wallet lives: this browser's IndexedDB, nowhere else. A tiny promise wrapper
 * around one object store holding one record (the passcode-encrypted vault). The vault is already
 * encrypted by the library (scrypt + AES-256-GCM), so the record is safe at rest; the recovery
 * phrase, the passcode and the keys are never written here in the clear.
 */
import { parseVault, type WalletVault } from './lib.ts';

const DB_NAME = 'bastion-wallet';
const DB_VERSION = 1;
const STORE = 'vault';
const KEY = 'default';

export interface StoredWallet {
  vault: WalletVault;
  /** When the wallet was put on this device (ISO 8601). */
  createdAt: string;
  /** How it got here: a new phrase, or one the user typed in. */
  origin: 'created' | 'restored';
}

/** IndexedDB is missing or refused (some private-browsing modes, blocked storage). */
export class StorageUnavailableError extends Error {
  constructor(message = 'This browser does not let the page store data (IndexedDB is unavailable).') {
    super(message);
    this.name = 'StorageUnavailableError';
  }
}

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new StorageUnavailableError('IndexedDB request failed.'));
  });
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      if (typeof indexedDB === 'undefined') throw new StorageUnavailableError();
      request = indexedDB.open(DB_NAME, DB_VERSION);
    } catch (error) {
      reject(error instanceof StorageUnavailableError ? error : new StorageUnavailableError());
      return;
    }
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE);
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading the database: let it, this connection is short-lived anyway.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = () => reject(new StorageUnavailableError(request.error?.message));
    request.onblocked = () => reject(new StorageUnavailableError('The wallet storage is busy in another tab. Close it and try again.'));
  });
}

/** Runs one transaction on the store and resolves with `work`'s result once the transaction commits. */
async function withStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => Promise<T>): Promise<T> {
  const db = await openDb();
  try {
    const tx = db.transaction(STORE, mode);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new StorageUnavailableError('IndexedDB transaction failed.'));
      tx.onabort = () => reject(tx.error ?? new StorageUnavailableError('IndexedDB transaction aborted.'));
    });
    const result = await work(tx.objectStore(STORE));
    await done;
    return result;
  } finally {
    db.close();
  }
}

/** The stored wallet, or null when this device has none. A malformed record is an error (invalid_vault). */
export async function loadWallet(): Promise<StoredWallet | null> {
  const record = await withStore('readonly', (store) => promised<unknown>(store.get(KEY)));
  if (record === undefined || record === null) return null;
  const value = record as Partial<StoredWallet>;
  return {
    vault: parseVault(value.vault),
    createdAt: typeof value.createdAt === 'string' ? value.createdAt : '',
    origin: value.origin === 'restored' ? 'restored' : 'created',
  };
}

/** Stores (or replaces) the device's wallet. */
export async function saveWallet(vault: WalletVault, origin: StoredWallet['origin']): Promise<StoredWallet> {
  const record: StoredWallet = { vault: parseVault(vault), createdAt: new Date().toISOString(), origin };
  await withStore('readwrite', (store) => promised(store.put(record, KEY)));
  return record;
}

/** Deletes the device's wallet (the funds stay on the chain; the recovery phrase restores them). */
export async function removeWallet(): Promise<void> {
  await withStore('readwrite', (store) => promised(store.delete(KEY)));
}
