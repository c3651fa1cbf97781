/**
 * The mail outbox for staff: each message's delivery status, attempts and last error (never its
 * body: mail carries one-time links), newest first; and one more try for a message that is still
 * pending or failed for good (its sealed body is kept for that). A retry is recorded.
 */
import { findUserByEmail } from '../../account/users.ts';
import type { Actor } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { OutboxMessage } from '../../contracts/staff.ts';
import type { Deps } from '../../deps.ts';
import { conflict, notFound } from '../../errors/app-error.ts';
import { decodeCursor, pageOf } from '../../store/cursor.ts';
import { inTransaction } from '../../store/database.ts';
import type { OutboxTable } from '../../store/schema.ts';
import { isoTime } from '../../clock.ts';

const PAGE = 100;

const view = (m: OutboxTable): OutboxMessage => ({
  id: m.id,
  template: m.template,
  recipient: m.recipient,
  subject: m.subject,
  status: m.status,
  attempts: m.attempts,
  lastError: m.last_error,
  createdAt: isoTime(m.created_at)!,
  sentAt: isoTime(m.sent_at),
  nextAttemptAt: m.status === 'pending' ? isoTime(m.next_attempt_at) : null,
});

export async function listOutbox(deps: Deps, status: OutboxTable['status'] | undefined, cursor: string | undefined) {
  let query = deps.store.db.selectFrom('outbox').selectAll();
  if (status) query = query.where('status', '=', status);
  if (cursor) {
    const { position, id } = decodeCursor(cursor);
    query = query.where((eb) => eb.or([eb('created_at', '<', position), eb.and([eb('created_at', '=', position), eb('id', '<', id)])]));
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(PAGE + 1).execute();
  const { page, nextCursor } = pageOf(rows, PAGE, (m) => [m.created_at, m.id]);
  return { messages: page.map(view), nextCursor };
}

/** Queues one more delivery attempt now; the subject of the audit event is the recipient's account, if any. */
export async function retryMessage(deps: Deps, id: string, actor: Actor, reason: string, client: ClientInfo): Promise<void> {
  await inTransaction(deps.store.db, async (tx) => {
    const message = await tx.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    if (!message) throw notFound('not_found', 'No such message.');
    // One conditional update: a worker that delivers it meanwhile wins, and the message stays sent. A
    // claim in progress (a worker sending it now) is left alone: the message is never sent twice.
    const queued = await tx
      .updateTable('outbox')
      .set({ status: 'pending', next_attempt_at: deps.clock.now() })
      .where('id', '=', id)
      .where('status', '!=', 'sent')
      .where('body_sealed', 'is not', null)
      .executeTakeFirst();
    if (Number(queued.numUpdatedRows) !== 1) throw conflict('message_already_sent', 'This message was delivered already.');
    const recipient = await findUserByEmail(tx, message.recipient);
    await deps.audit.record(tx, {
      type: 'staff.mail_retried',
      actor,
      subject: recipient?.id ?? null,
      client,
      data: { reason, messageId: id, template: message.template, previousStatus: message.status, attempts: message.attempts },
    });
  });
}
