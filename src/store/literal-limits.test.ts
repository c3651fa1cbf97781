import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { literalLimits } from './literal-limits.ts';

interface Tables {
  items: { id: number; name: string };
}

describe('limits written into the SQL', () => {
  const database = new SQLite(':memory:');
  database.exec("create table items (id integer primary key, name text not null); insert into items values (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')");
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database }), plugins: [literalLimits] });

  it('writes a whole LIMIT and OFFSET into the text, leaving the other values as parameters', async () => {
    const query = db.selectFrom('items').select('name').where('id', '>', 1).orderBy('id').limit(2).offset(1);
    const compiled = query.compile();
    expect(compiled.sql).toMatch(/limit 2 offset 1$/);
    expect(compiled.parameters).toEqual([1]);
    expect(await query.execute()).toEqual([{ name: 'c' }, { name: 'd' }]);
  });

  it('keeps anything but a whole, non-negative number a parameter', () => {
    for (const value of [1.5, -1, Number.MAX_SAFE_INTEGER + 2]) {
      const compiled = db.selectFrom('items').select('name').limit(value).compile();
      expect(compiled.sql, String(value)).toMatch(/limit \?$/);
      expect(compiled.parameters).toEqual([value]);
    }
  });

  it('leaves a query without a limit as Kysely built it', () => {
    const query = db.selectFrom('items').select('name').where('id', '=', 2);
    expect(query.compile().sql).toBe('select "name" from "items" where "id" = ?');
  });
});
