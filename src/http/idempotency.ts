/**
 * `Idempotency-Key` on requests that move money (as Stripe's API has it): the first answer to a key
 * is kept (per user), and the same key with the same request gets that answer again with
 * `Idempotency-Replayed: true` — nothing is done twice. The same key with another method, route or
 * body answers 422 idempotency_key_reused; a key whose first request is still running answers 409.
 * Answers that are the server's own failure (5xx) are not kept, so the client may retry them.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IDEMPOTENCY_KEY_KEPT_MS } from '../contracts/common.ts';
import type { Deps } from '../deps.ts';
import { AppError, badRequest, conflict } from '../errors/app-error.ts';

/** How long an unanswered key blocks its retries (a request that died mid-way frees it after this): far longer than any request runs. */
const ABANDONED_MS = 10 * 60_000;
/** How long answers are kept for replay. */
const KEPT_MS = IDEMPOTENCY_KEY_KEPT_MS;

const hashOf = (request: FastifyRequest) =>
  createHash('sha256')
    .update(`${request.method} ${request.routeOptions.url ?? request.url}\n${JSON.stringify(request.params ?? {})}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');

/**
 * Runs `work` at most once per (user, Idempotency-Key); without the header it simply runs. `work` is
 * given the key, so what it makes can carry it too (a withdrawal does: a retry after a crash that
 * lost the kept answer still finds the withdrawal, not a second one).
 */
export async function idempotent<T>(deps: Deps, request: FastifyRequest, reply: FastifyReply, userId: string, work: (key: string | null) => Promise<T>): Promise<T> {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return work(null);
  const key = Array.isArray(header) ? header[0]! : header;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw badRequest('invalid_request', 'Idempotency-Key: must be 1 to 255 visible ASCII characters (a UUID is best).');
  const db = deps.store.db;
  const hash = hashOf(request);
  const now = deps.clock.now();
  const claimId = randomUUID();
  // Claim the key; an unanswered claim older than ABANDONED_MS is taken over.
  await db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).where('status_code', 'is', null).where('created_at', '<', now - ABANDONED_MS).execute();
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({ user_id: userId, key, claim_id: claimId, request_hash: hash, status_code: null, response: null, created_at: now })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) !== 1) {
    const first = await db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirst();
    if (!first) throw conflict('idempotency_in_progress', 'A request with this Idempotency-Key is still being answered; retry shortly.');
    if (first.request_hash !== hash) throw new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with another request: use a new key for a new request.');
    if (first.status_code === null) throw conflict('idempotency_in_progress', 'A request with this Idempotency-Key is still being answered; retry shortly.');
    reply.header('idempotency-replayed', 'true');
    reply.status(first.status_code);
    return JSON.parse(first.response!) as T;
  }
  // Only this request's claim is written or given back (a claim taken over after ABANDONED_MS is another's).
  const keep = (status: number, body: unknown) =>
    db
      .updateTable('idempotency_keys')
      .set({ status_code: status, response: JSON.stringify(body) })
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .where('claim_id', '=', claimId)
      .where('status_code', 'is', null)
      .execute();
  let answer: T;
  try {
    answer = await work(key);
  } catch (error) {
    if (error instanceof AppError && error.status < 500) await keep(error.status, { error: error.code, message: error.message, ...error.details });
    else await db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).where('claim_id', '=', claimId).where('status_code', 'is', null).execute();
    throw error;
  }
  // The work is done: if keeping its answer fails, the claim stays (a retry waits, then finds the work done), never given back.
  await keep(reply.statusCode, answer);
  return answer;
}

/** Deletes kept answers older than a day (the maintenance sweep). */
export async function pruneIdempotencyKeys(deps: Deps): Promise<number> {
  const result = await deps.store.db.deleteFrom('idempotency_keys').where('created_at', '<', deps.clock.now() - KEPT_MS).executeTakeFirst();
  return Number(result.numDeletedRows);
}
