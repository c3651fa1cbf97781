import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/database.ts';
import { inTransaction } from './database.ts';
import { precompile } from './precompiled.ts';

describe.each(dialects)('precompiled queries on %s', (dialect) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  const lockout = (key: string, attempts: number) => ({ key, attempts, lock_count: 0, locked_until: null, updated_at: 1 });

  it('builds and compiles once, then runs with each call its own arguments, in a transaction too', async () => {
    db = await createTestDatabase(dialect);
    const { store } = db;
    await store.db.insertInto('lockouts').values([lockout('a', 1), lockout('b', 2), lockout('c', 3)]).execute();
    const build = vi.fn((d: Parameters<Parameters<typeof precompile>[1]>[0], key: string, least: number) =>
      d.selectFrom('lockouts').select(['key', 'attempts']).where('key', '=', key).where('attempts', '>=', least).where('lock_count', '=', 0).limit(1),
    );
    const find = precompile(2, build);
    expect(await find(store.db, 'a', 1)).toEqual([{ key: 'a', attempts: 1 }]);
    expect(await find(store.db, 'b', 3)).toEqual([]);
    expect(await find(store.db, 'c', 3)).toEqual([{ key: 'c', attempts: 3 }]);
    await inTransaction(store.db, async (tx) => {
      await tx.insertInto('lockouts').values(lockout('d', 9)).execute();
      // The transaction sees its own write; the compiled query is the database's.
      expect(await find(tx, 'd', 1)).toEqual([{ key: 'd', attempts: 9 }]);
    });
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('refuses a query that does not take an argument as a parameter as it is', async () => {
    db = await createTestDatabase(dialect);
    const worked = precompile(1, (d, key: string) => d.selectFrom('lockouts').select('key').where('key', '=', `${String(key)}!`));
    await expect(worked(db.store.db, 'a')).rejects.toThrow(/argument 0 is not a parameter/);
  });
});
