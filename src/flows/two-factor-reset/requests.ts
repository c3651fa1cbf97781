/**
 * Lost-2FA reset requests as stored, and what every step shares: the request's links (a status
 * page look and "cancel — this wasn't me", one of each per email, bound to the request), the
 * emails to every address on file, and the answer a request's state gives the user.
 */
import { addressesOnFile } from '../../account/email-reservations.ts';
import { issueToken, TOKEN_PURPOSES } from '../../account/tokens.ts';
import type { User } from '../../account/users.ts';
import { isoTime } from '../../clock.ts';
import type { ResetProgress, ResetSignal } from '../../contracts/two-factor-reset.ts';
import type { Deps } from '../../deps.ts';
import type { TemplateData, TemplateName } from '../../mail/templates.ts';
import type { Db, Tx } from '../../store/database.ts';
import type { TwoFactorResetsTable } from '../../store/schema.ts';

export type ResetRequest = TwoFactorResetsTable;

/** What a request's links are bound to. */
export const requestBinding = (requestId: string) => `2fa-reset:${requestId}`;
export const requestOfBinding = (boundTo: string | null): string | null => (boundTo?.startsWith('2fa-reset:') ? boundTo.slice('2fa-reset:'.length) : null);

export const OPEN_STATES: ResetRequest['status'][] = ['pending', 'approved'];

export function findRequest(db: Db | Tx, id: string): Promise<ResetRequest | undefined> {
  return db.selectFrom('two_factor_resets').selectAll().where('id', '=', id).executeTakeFirst();
}

export function openRequestOf(db: Db | Tx, userId: string): Promise<ResetRequest | undefined> {
  return db.selectFrom('two_factor_resets').selectAll().where('user_id', '=', userId).where('status', 'in', OPEN_STATES).executeTakeFirst();
}

export const signalsOf = (r: ResetRequest): ResetSignal[] => JSON.parse(r.risk_signals) as ResetSignal[];

/** Where the request stands, in the words of the user's status page. */
export function progressOf(r: ResetRequest): ResetProgress {
  if (r.status === 'pending') return r.viewed_at === null ? 'submitted' : 'in_review';
  return r.status;
}

/** A fresh status-page link for the request (each look at the page uses one up). */
export async function statusLink(deps: Deps, tx: Tx, r: { id: string; user_id: string }): Promise<{ token: string; url: string; expiresAt: number }> {
  const token = await issueToken(deps, tx, { purpose: 'two_factor_reset_status', userId: r.user_id, boundTo: requestBinding(r.id) });
  return { token, url: `${deps.config.baseUrl}/2fa-reset/status?token=${token}`, expiresAt: deps.clock.now() + TOKEN_PURPOSES.two_factor_reset_status.ttlMs };
}

/** The emails about a request, and whether each carries "cancel — this wasn't me" (while the request can be stopped). */
const CANCELLABLE = { two_factor_reset_requested: true, two_factor_reset_approved: true, two_factor_reset_sign_in_during_wait: true, two_factor_reset_rejected: false } as const;
type RequestTemplate = keyof typeof CANCELLABLE;

/** Writes to every address on file, each email with links of its own: a status look and, where the request can be stopped, the cancel link. */
export async function tellEveryAddress<T extends RequestTemplate & TemplateName>(
  deps: Deps,
  tx: Tx,
  user: User,
  r: { id: string; user_id: string },
  template: T,
  data: Omit<TemplateData<T>, 'cancelUrl' | 'statusUrl'>,
): Promise<void> {
  for (const address of await addressesOnFile(tx, user, deps.clock.now())) {
    const links: { statusUrl: string; cancelUrl?: string } = { statusUrl: (await statusLink(deps, tx, r)).url };
    if (CANCELLABLE[template]) {
      const cancel = await issueToken(deps, tx, { purpose: 'two_factor_reset_cancel', userId: user.id, boundTo: requestBinding(r.id) });
      links.cancelUrl = `${deps.config.baseUrl}/2fa-reset/cancel?token=${cancel}`;
    }
    await deps.mail.send(tx, template, address, { ...data, ...links } as unknown as TemplateData<T>);
  }
}

/** Writes a plain notice to every address on file. */
export async function noticeEveryAddress<T extends TemplateName>(deps: Deps, tx: Tx, user: User, template: T, data: TemplateData<T>): Promise<void> {
  for (const address of await addressesOnFile(tx, user, deps.clock.now())) await deps.mail.send(tx, template, address, data);
}

export const timesOf = (r: ResetRequest) => ({
  submittedAt: isoTime(r.submitted_at)!,
  decidedAt: isoTime(r.decided_at),
  effectiveAt: isoTime(r.effective_at),
  cancelledAt: isoTime(r.cancelled_at),
});
