/**
 * Security alerts: every email that tells the owner something happened to their account carries a
 * one-click "lock my account" link (single-use, 30 days, usable without signing in: the owner may be
 * locked out), each alert its own. Sent in the caller's transaction, like every email.
 */
import type { Deps } from '../deps.ts';
import type { TemplateData, TemplateName } from '../mail/templates.ts';
import type { Tx } from '../store/database.ts';
import { issueToken } from './tokens.ts';

/** The templates that carry the lock link. */
export type AlertTemplate = { [T in TemplateName]: TemplateData<T> extends { lockUrl: string } ? T : never }[TemplateName];
/** An alert's data: everything but the lock link, which is made here. */
export type AlertData<T extends AlertTemplate> = Omit<TemplateData<T>, 'lockUrl'>;

export async function sendAlert<T extends AlertTemplate>(deps: Deps, tx: Tx, to: { id: string; email: string }, template: T, data: AlertData<T>): Promise<void> {
  const token = await issueToken(deps, tx, { purpose: 'freeze', userId: to.id });
  const lockUrl = `${deps.config.baseUrl}/lock-account?token=${token}`;
  await deps.mail.send(tx, template, to.email, { ...data, lockUrl } as unknown as TemplateData<T>);
}
