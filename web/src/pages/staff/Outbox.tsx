/**
 * Staff console, the mail outbox (/staff/outbox?status=…): GET /api/staff/outbox, every email the
 * platform queued and how sending went, a page at a time; a pending or failed email can be sent
 * again at once, with the reason for the audit log (POST /api/staff/outbox/{id}/retry).
 */
import { useState } from 'react';
import type { OutboxMessage, OutboxPageBody } from '../../../../src/contracts/staff.ts';
import { ReasonForm } from '../../components/staff/ReasonForm.tsx';
import type { ReasonBody } from '../../components/staff/types.ts';
import { post } from '../../api.ts';
import { choicesFrom, SelectField } from '../../components/Fields.tsx';
import { SuccessMessage } from '../../components/Messages.tsx';
import { LoadState } from '../../components/security/LoadState.tsx';
import { LoadMore } from '../../components/staff/LoadMore.tsx';
import { staffPage } from '../../components/staff/StaffShell.tsx';
import { StaffTable } from '../../components/staff/StaffTable.tsx';
import { useStaff } from '../../components/staff/useStaff.ts';
import { useStaffPages } from '../../components/staff/useStaffData.ts';
import { exactTime, OUTBOX_STATUS_LABELS, withQuery, type OutboxStatus } from '../../components/staff/words.ts';
import { navigate, useQueryParam } from '../../router.tsx';

const FILTER_CHOICES = choicesFrom<OutboxStatus | 'all'>({ all: 'All', ...OUTBOX_STATUS_LABELS });
const COLUMNS = ['Template', 'Recipient', 'Subject', 'Status', 'Attempts', 'Last error', 'Created', 'Sent'];
const isStatus = (value: string): value is OutboxStatus => Object.hasOwn(OUTBOX_STATUS_LABELS, value);

export const StaffOutboxPage = staffPage('Mail outbox', 'outbox', Outbox);

function Outbox() {
  const { may, asking } = useStaff();
  const asked = useQueryParam('status');
  const status = isStatus(asked) ? asked : undefined;
  const messages = useStaffPages<OutboxPageBody, OutboxMessage>(withQuery('/api/staff/outbox', { status }), (page) => page.messages);
  const [retrying, setRetrying] = useState<OutboxMessage | null>(null);
  const [done, setDone] = useState('');
  const canRetry = may('outbox:retry');

  const retry = (message: OutboxMessage) => {
    setDone('');
    setRetrying(message);
  };

  return (
    <section className="panel" aria-labelledby="outbox-heading">
      <h2 id="outbox-heading">Emails</h2>
      <div className="staff-filters">
        <SelectField
          label="Status"
          value={status ?? 'all'}
          onValueChange={(next) => navigate(withQuery('/staff/outbox', { status: next === 'all' ? undefined : next }), { replace: true })}
          choices={FILTER_CHOICES}
        />
      </div>
      <SuccessMessage>{done}</SuccessMessage>
      {retrying ? (
        <ReasonForm
          title={`Retry the email to ${retrying.recipient}`}
          submitLabel="Send it again"
          busyLabel="Queuing…"
          note={<p>One more delivery attempt, now. The reason goes into the audit log.</p>}
          onCancel={() => setRetrying(null)}
          onSubmit={async (reason) => {
            await post(`/api/staff/outbox/${encodeURIComponent(retrying.id)}/retry`, { reason } satisfies ReasonBody);
            setRetrying(null);
            setDone(`The email to ${retrying.recipient} is queued to be sent again.`);
            messages.reload();
          }}
        />
      ) : null}
      <LoadState what="the outbox" loaded={messages.items !== null} error={messages.error} onRetry={messages.reload} />
      {messages.items && messages.items.length === 0 ? <p>No emails with this status.</p> : null}
      {messages.items && messages.items.length > 0 ? (
        <StaffTable label="Outbox emails" columns={canRetry ? [...COLUMNS, 'Action'] : COLUMNS} testId="outbox">
          {messages.items.map((message) => (
            <tr key={message.id} data-testid="outbox-message" data-status={message.status}>
              <td className="mono">{message.template}</td>
              <td className="wrap">{message.recipient}</td>
              <td className="wrap">{message.subject}</td>
              <td>{OUTBOX_STATUS_LABELS[message.status]}</td>
              <td>{message.attempts}</td>
              <td className="wrap">{message.lastError ?? '—'}</td>
              <td>
                <time dateTime={message.createdAt}>{exactTime(message.createdAt)}</time>
              </td>
              <td>{message.sentAt ? <time dateTime={message.sentAt}>{exactTime(message.sentAt)}</time> : '—'}</td>
              {canRetry ? (
                <td>
                  {message.status !== 'sent' ? (
                    <button
                      type="button"
                      className="button-secondary button-small"
                      onClick={() => retry(message)}
                      aria-disabled={retrying !== null || asking ? true : undefined}
                    >
                      Retry
                      <span className="visually-hidden"> the email to {message.recipient}</span>
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </StaffTable>
      ) : null}
      {messages.items ? <LoadMore shown={messages.items.length} noun={['email', 'emails']} hasMore={messages.hasMore} busy={messages.loadingMore} onMore={messages.loadMore} /> : null}
    </section>
  );
}
