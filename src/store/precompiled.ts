/**
 * Queries that Kysely builds and compiles once and then runs with new parameters, for the few that
 * every request asks (the session guard, the factor summary): building and compiling a query cost
 * more than running it on SQLite. The SQL text and the parameters' places come from Kysely itself,
 * so the query stays typed and written once for both dialects.
 *
 * `build` receives placeholders for the arguments: each must be passed as a whole value
 * (`where('id', '=', id)`), never worked on (hashed, sliced): a placeholder that does not end up
 * among the compiled parameters is refused at the first call.
 *
 * Call it with the store's database or a transaction of it, never a `withSchema` or `withPlugin`
 * copy: those share the adapter, and would run the SQL compiled for whoever asked first.
 */
import type { Compilable, CompiledQuery } from 'kysely';
import type { Db, Tx } from './database.ts';

/** Stands for the argument at `index` while the query is compiled. */
class Placeholder {
  constructor(readonly index: number) {}
}

interface Compiled<R> {
  query: CompiledQuery<R>;
  /** For each compiled parameter: the argument it takes, or -1 for a constant of the query. */
  from: number[];
}

export function precompile<A extends unknown[], R>(arity: A['length'], build: (db: Db | Tx, ...args: A) => Compilable<R>): (db: Db | Tx, ...args: A) => Promise<R[]> {
  // One compilation per dialect adapter: a transaction shares its database's.
  const compiled = new WeakMap<object, Compiled<R>>();
  const compile = (db: Db | Tx): Compiled<R> => {
    const placeholders = Array.from({ length: arity }, (_, i) => new Placeholder(i)) as unknown as A;
    const query = build(db, ...placeholders).compile();
    const from = query.parameters.map((p) => (p instanceof Placeholder ? p.index : -1));
    for (let i = 0; i < arity; i++) if (!from.includes(i)) throw new Error(`precompiled query: argument ${i} is not a parameter of ${query.sql}`);
    return { query, from };
  };
  return async (db, ...args) => {
    const adapter = db.getExecutor().adapter;
    let entry = compiled.get(adapter);
    if (!entry) compiled.set(adapter, (entry = compile(db)));
    const { query, from } = entry;
    const parameters = query.parameters.map((p, i) => (from[i]! >= 0 ? args[from[i]!] : p));
    return (await db.executeQuery<R>({ ...query, parameters })).rows;
  };
}
