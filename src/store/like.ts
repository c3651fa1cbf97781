/**
 * "Starts with" in SQL for both dialects: LIKE with `%` and `_` in the text escaped, and the escape
 * character named (SQLite has no default one), so the text matches as typed.
 */
import { sql, type RawBuilder } from 'kysely';

export function startsWith(column: string, text: string): RawBuilder<boolean> {
  const pattern = `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`;
}
