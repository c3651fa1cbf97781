import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cachingStatements } from './statement-cache.ts';

interface Tables {
  items: { id: number; name: string; extra?: string | null };
}

describe('the SQLite statement cache', () => {
  const open: SQLite.Database[] = [];
  afterEach(() => {
    for (const database of open.splice(0)) if (database.open) database.close();
  });

  function fresh(max?: number) {
    const database = new SQLite(':memory:');
    open.push(database);
    database.exec('create table items (id integer primary key, name text not null)');
    const prepare = vi.spyOn(database, 'prepare');
    const cache = cachingStatements(database, max);
    const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: cache }) });
    return { database, prepare, cache, db };
  }

  it('prepares a SQL text once and reuses the statement, with each call its own parameters', async () => {
    const { prepare, cache, db } = fresh();
    await db.insertInto('items').values({ id: 1, name: 'one' }).execute();
    await db.insertInto('items').values({ id: 2, name: 'two' }).execute();
    const byId = (id: number) => db.selectFrom('items').select('name').where('id', '=', id).executeTakeFirst();
    expect(await byId(1)).toEqual({ name: 'one' });
    expect(await byId(2)).toEqual({ name: 'two' });
    expect(await byId(3)).toBeUndefined();
    // One insert and one select, each prepared once.
    expect(prepare).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(2);
    expect(cache.prepare('select 1')).toBe(cache.prepare('select 1'));
  });

  it('keeps at most its bound, letting the least recently used statement go first', () => {
    const { prepare, cache } = fresh(2);
    const a = cache.prepare('select 1');
    cache.prepare('select 2');
    expect(cache.prepare('select 1')).toBe(a); // now the most recently used
    cache.prepare('select 3'); // "select 2" goes
    expect(cache.size).toBe(2);
    expect(cache.prepare('select 1')).toBe(a);
    prepare.mockClear();
    cache.prepare('select 2');
    expect(prepare).toHaveBeenCalledTimes(1);
    expect(cache.size).toBe(2);
    expect(() => cachingStatements(new SQLite(':memory:'), 0)).toThrow(/at least one/);
  });

  it('hands out a fresh statement while the kept one is still being iterated', async () => {
    const { cache, db } = fresh();
    await db.insertInto('items').values([{ id: 1, name: 'one' }, { id: 2, name: 'two' }]).execute();
    const text = 'select name from items order by id';
    const kept = cache.prepare(text);
    const names: unknown[] = [];
    for (const row of kept.iterate([])) {
      const other = cache.prepare(text);
      expect(other).not.toBe(kept);
      names.push(row, other.all([]));
    }
    expect(names).toEqual([{ name: 'one' }, [{ name: 'one' }, { name: 'two' }], { name: 'two' }, [{ name: 'one' }, { name: 'two' }]]);
    expect(cache.prepare(text)).toBe(kept);
    const streamed = [];
    for await (const row of db.selectFrom('items').select('id').orderBy('id').stream()) streamed.push(row.id);
    expect(streamed).toEqual([1, 2]);
  });

  it('answers with the new schema after a migration changed a table a kept statement reads', async () => {
    const { db } = fresh();
    await db.insertInto('items').values({ id: 1, name: 'one' }).execute();
    const all = () => db.selectFrom('items').selectAll().execute();
    expect(await all()).toEqual([{ id: 1, name: 'one' }]);
    await db.schema.alterTable('items').addColumn('extra', 'text').execute();
    await db.updateTable('items').set({ extra: 'x' }).where('id', '=', 1).execute();
    expect(await all()).toEqual([{ id: 1, name: 'one', extra: 'x' }]);
    await db.schema.dropTable('items').execute();
    await expect(all()).rejects.toThrow(/no such table/);
    await db.schema.createTable('items').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('name', 'text').execute();
    expect(await all()).toEqual([]);
  });

  it('commits and rolls back transactions with kept statements, again and again', async () => {
    const { db } = fresh();
    for (let round = 0; round < 3; round++) {
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('items').values({ id: round * 2 + 1, name: `kept ${round}` }).execute();
      });
      await expect(
        db.transaction().execute(async (tx) => {
          await tx.insertInto('items').values({ id: round * 2 + 2, name: `undone ${round}` }).execute();
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
    }
    const names = (await db.selectFrom('items').select('name').orderBy('id').execute()).map((r) => r.name);
    expect(names).toEqual(['kept 0', 'kept 1', 'kept 2']);
    expect((await sql<{ n: number }>`select count(*) as n from items`.execute(db)).rows[0]?.n).toBe(3);
  });
});
