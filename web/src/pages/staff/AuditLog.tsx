/**
 * Staff console, the audit log (/staff/audit?actor=…&subject=…&type=…&from=…&to=…): GET
 * /api/staff/audit filtered, a page at a time, and a check of the whole hash chain
 * (POST /api/staff/audit/verify). The filters live in the URL, so a profile can link here.
 */
import { useState, type FormEvent } from 'react';
import type { AuditEventView, AuditPageBody, AuditVerifyBody } from '../../../../src/contracts/staff.ts';
import { post } from '../../api.ts';
import { SubmitButton, TextField } from '../../components/Fields.tsx';
import { LoadState } from '../../components/security/LoadState.tsx';
import { AuditTable } from '../../components/staff/AuditTable.tsx';
import { LoadMore } from '../../components/staff/LoadMore.tsx';
import { staffPage } from '../../components/staff/StaffShell.tsx';
import { useStaff } from '../../components/staff/useStaff.ts';
import { useStaffPages } from '../../components/staff/useStaffData.ts';
import { count, withQuery } from '../../components/staff/words.ts';
import { navigate, useLocation } from '../../router.tsx';

const FILTERS = ['actor', 'subject', 'type', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/** A datetime-local value (the browser's local time) as the ISO instant the API takes. */
function isoInstant(local: string): string | undefined {
  const time = new Date(local).getTime();
  return local && !Number.isNaN(time) ? new Date(time).toISOString() : undefined;
}

export const StaffAuditPage = staffPage('Audit log', 'audit', AuditLog);

function AuditLog() {
  const { may } = useStaff();
  const { query } = useLocation();
  const applied = Object.fromEntries(FILTERS.map((name) => [name, query.get(name) ?? ''])) as Filters;
  const events = useStaffPages<AuditPageBody, AuditEventView>(
    withQuery('/api/staff/audit', { ...applied, from: isoInstant(applied.from), to: isoInstant(applied.to) }),
    (page) => page.events,
  );

  return (
    <div className="grid">
      <AuditFilters applied={applied} />
      {may('audit:verify') ? <VerifyChain /> : null}
      <section className="panel panel-full" aria-labelledby="events-heading">
        <h2 id="events-heading">Events</h2>
        <LoadState what="the events" loaded={events.items !== null} error={events.error} onRetry={events.reload} />
        {events.items && events.items.length === 0 ? <p>No events match.</p> : null}
        {events.items && events.items.length > 0 ? <AuditTable events={events.items} label="Audit events" /> : null}
        {events.items ? <LoadMore shown={events.items.length} noun={['event', 'events']} hasMore={events.hasMore} busy={events.loadingMore} onMore={events.loadMore} /> : null}
      </section>
    </div>
  );
}

function AuditFilters({ applied }: { applied: Filters }) {
  const [filters, setFilters] = useState<Filters>(applied);
  const set = (name: keyof Filters) => (value: string) => setFilters((all) => ({ ...all, [name]: value }));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    navigate(withQuery('/staff/audit', Object.fromEntries(FILTERS.map((name) => [name, filters[name].trim()]))), { replace: true });
  };
  const clear = () => {
    setFilters({ actor: '', subject: '', type: '', from: '', to: '' });
    navigate('/staff/audit', { replace: true });
  };

  return (
    <section className="panel" aria-labelledby="filters-heading">
      <h2 id="filters-heading">Filters</h2>
      <form onSubmit={apply} noValidate className="staff-filter-form">
        <TextField label="Actor id" value={filters.actor} onValueChange={set('actor')} autoComplete="off" spellCheck={false} maxLength={64} />
        <TextField label="Subject (user id)" value={filters.subject} onValueChange={set('subject')} autoComplete="off" spellCheck={false} maxLength={64} />
        <TextField label="Event type" value={filters.type} onValueChange={set('type')} autoComplete="off" spellCheck={false} maxLength={100} />
        <TextField label="From (local time)" type="datetime-local" value={filters.from} onValueChange={set('from')} />
        <TextField label="To (local time)" type="datetime-local" value={filters.to} onValueChange={set('to')} />
        <div className="actions">
          <SubmitButton busy={false} label="Apply filters" busyLabel="Applying…" />
          <button type="button" className="button-secondary" onClick={clear}>
            Clear filters
          </button>
        </div>
      </form>
    </section>
  );
}

function VerifyChain() {
  const { call, asking } = useStaff();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const verify = () => {
    if (busy) return;
    setResult(null);
    void call(
      async () => {
        setBusy(true);
        try {
          const answer = await post<AuditVerifyBody>('/api/staff/audit/verify');
          setResult(
            answer.intact
              ? { ok: true, text: `Chain intact: ${count(answer.rows, 'event', 'events')}.` }
              : {
                  ok: false,
                  text: `Chain broken at event ${answer.firstBadSeq ?? '?'}: ${answer.reason ?? 'no reason given'}. ${count(answer.rows, 'event', 'events')} checked.`,
                },
          );
        } finally {
          setBusy(false);
        }
      },
      (message) => setResult({ ok: false, text: message }),
    );
  };

  return (
    <section className="panel" aria-labelledby="verify-heading">
      <h2 id="verify-heading">Chain check</h2>
      <p className="muted small">Recomputes the hash chain over every event: any changed, removed or reordered row shows here.</p>
      <div className="actions">
        <button type="button" onClick={verify} aria-disabled={busy || asking ? true : undefined}>
          {busy ? 'Verifying…' : 'Verify chain'}
        </button>
      </div>
      <div role="status" aria-live="polite">
        {result ? (
          <p className={`message ${result.ok ? 'message-success' : 'message-error'}`} data-testid="audit-verify-result" data-intact={result.ok ? 'true' : 'false'}>
            {result.text}
          </p>
        ) : null}
      </div>
    </section>
  );
}
