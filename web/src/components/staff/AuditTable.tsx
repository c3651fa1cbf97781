/** Audit events as a table (the audit log, a user's security history): seq, time, type, actor, subject, IP and data. */
import type { AuditEventView } from '../../../../src/contracts/staff.ts';
import { Link } from '../../router.tsx';
import { StaffTable } from './StaffTable.tsx';
import { exactTime, profilePath } from './words.ts';

const COLUMNS = ['Seq', 'Time', 'Type', 'Actor', 'Subject', 'IP', 'Data'];

export function AuditTable({ events, label }: { events: AuditEventView[]; label: string }) {
  return (
    <StaffTable label={label} columns={COLUMNS} testId="audit-events">
      {events.map((event) => (
        <tr key={event.seq} data-testid="audit-event" data-type={event.type}>
          <td className="mono">{event.seq}</td>
          <td>
            <time dateTime={event.at}>{exactTime(event.at)}</time>
          </td>
          <td className="mono">{event.type}</td>
          <td>
            {event.actor.kind}
            {event.actor.id ? <span className="mono"> {event.actor.id}</span> : null}
          </td>
          <td className="mono">{event.subject ? <Link to={profilePath(event.subject)}>{event.subject}</Link> : '—'}</td>
          <td className="mono">{event.ip ?? '—'}</td>
          <td>
            <code className="staff-json">{JSON.stringify(event.data)}</code>
          </td>
        </tr>
      ))}
    </StaffTable>
  );
}
