/**
 * Opaque pagination cursors: a position (a time or a sequence number) and a tie-breaking id, as
 * base64url. A cursor that was not given out (or a number the database cannot take) is a 400.
 */
import { badRequest } from '../errors/app-error.ts';

export const encodeCursor = (position: number, id: string) => Buffer.from(`${position}:${id}`).toString('base64url');

export function decodeCursor(cursor: string): { position: number; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const split = text.indexOf(':');
  const [position, id] = [text.slice(0, split), text.slice(split + 1)];
  // A forged number beyond 2^53 would reach the database as a value it cannot take (500 on PostgreSQL).
  if (split < 1 || !/^[A-Za-z0-9_-]{1,64}$/.test(id) || !/^\d+$/.test(position) || !Number.isSafeInteger(Number(position))) throw badRequest('invalid_cursor', 'cursor: is not a cursor this API gave out.');
  return { position: Number(position), id };
}

/** The page of a keyset query that fetched one row more than `size`: the rows to show, and the next cursor (null on the last page). */
export function pageOf<R>(rows: R[], size: number, key: (row: R) => [position: number, id: string]): { page: R[]; nextCursor: string | null } {
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > size && last ? encodeCursor(...key(last)) : null };
}
