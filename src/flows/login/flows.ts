/**
 * A sign-in is a stored flow (after the password, before the session): it expires after 10 minutes,
 * works only in the browser that started it (the flow id must come with that browser's flow
 * cookie), and dies after 5 wrong codes. Both the id and the cookie are stored only as hashes.
 */
import { AppError } from '../../errors/app-error.ts';
import { hashToken, randomToken, safeEqual } from '../../crypto/tokens.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { Db, Tx } from '../../store/database.ts';
import type { LoginFlowsTable } from '../../store/schema.ts';

export type LoginFlow = LoginFlowsTable;

export const FLOW_TTL_MS = 10 * 60_000;
export const FLOW_MAX_FAILURES = 5;

export const flowExpired = () => new AppError(400, 'flow_expired', 'This sign-in has expired. Start again with your email and password.');

export async function createFlow(
  tx: Tx,
  input: { userId: string; state: LoginFlow['state']; now: number; client: ClientInfo; passwordless?: boolean },
): Promise<{ flowId: string; binding: string; flow: LoginFlow }> {
  const flowId = randomToken(32);
  const binding = randomToken(32);
  const flow = await tx
    .insertInto('login_flows')
    .values({
      id_hash: hashToken(flowId),
      user_id: input.userId,
      binding_hash: hashToken(binding),
      state: input.state,
      failed_attempts: 0,
      created_at: input.now,
      expires_at: input.now + FLOW_TTL_MS,
      ip: input.client.ip,
      user_agent: input.client.userAgent,
      passwordless: input.passwordless ? 1 : 0,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  // Old flows are of no use to anyone: clear the expired ones as new ones start.
  await tx.deleteFrom('login_flows').where('expires_at', '<', input.now).execute();
  return { flowId, binding, flow };
}

/** What a flow's ceremonies (emailed codes, passkey challenges, device links) are bound to. */
export const flowBinding = (flow: LoginFlow) => `flow:${flow.id_hash}`;

/** The flow a binding names (a token's `bound_to`), if it still exists. */
export function flowOfBinding(db: Db | Tx, boundTo: string | null | undefined): Promise<LoginFlow | undefined> {
  if (!boundTo?.startsWith('flow:')) return Promise.resolve(undefined);
  return db.selectFrom('login_flows').selectAll().where('id_hash', '=', boundTo.slice('flow:'.length)).executeTakeFirst();
}

/** The live flow for an id presented with a browser's flow cookie; otherwise flow_expired. */
export async function loadFlow(db: Db | Tx, flowId: string, binding: string | undefined, now: number): Promise<LoginFlow> {
  const flow = await db.selectFrom('login_flows').selectAll().where('id_hash', '=', hashToken(flowId)).executeTakeFirst();
  if (!flow || !binding || !safeEqual(flow.binding_hash, hashToken(binding))) throw flowExpired();
  if (now >= flow.expires_at || flow.failed_attempts >= FLOW_MAX_FAILURES) throw flowExpired();
  return flow;
}

/**
 * Reserves one of the flow's code attempts *before* the code is checked (a success ends the flow, so
 * only failures are left counted): parallel requests cannot get more than FLOW_MAX_FAILURES checks.
 */
export async function reserveFlowAttempt(db: Db | Tx, flow: LoginFlow): Promise<void> {
  const reserved = await db
    .updateTable('login_flows')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id_hash', '=', flow.id_hash)
    .where('failed_attempts', '<', FLOW_MAX_FAILURES)
    .returning('id_hash')
    .executeTakeFirst();
  if (!reserved) throw flowExpired();
}

/** Ends a flow; false when another request ended it first (so a flow completes once). */
export async function endFlow(tx: Tx, flow: LoginFlow): Promise<boolean> {
  const result = await tx.deleteFrom('login_flows').where('id_hash', '=', flow.id_hash).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
