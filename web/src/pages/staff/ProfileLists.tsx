/**
 * A user's profile, the lists: KYC cases, second factors (names only), sessions, known devices,
 * withdrawal holds, login activity and security history. Read-only; the actions are in UserActions.
 */
import type { ReactNode } from 'react';
import type { StaffUserProfile } from '../../../../src/contracts/staff.ts';
import { Fact } from '../../components/security/Fact.tsx';
import { methodWords, resultWords } from '../../components/security/format.ts';
import { activityBadges, AttemptFacts } from '../../components/security/LoginActivity.tsx';
import { Later, When } from '../../components/security/When.tsx';
import { AuditTable } from '../../components/staff/AuditTable.tsx';
import { KycCaseItem } from '../../components/staff/KycCaseItem.tsx';
import { withQuery } from '../../components/staff/words.ts';
import { Link } from '../../router.tsx';

interface ListPanelProps<T> {
  id: string;
  title: string;
  items: T[];
  empty: string;
  full?: boolean;
  render: (item: T, index: number) => ReactNode;
}

/** A titled list, or a line saying it is empty. */
function ListPanel<T>({ id, title, items, empty, full = false, render }: ListPanelProps<T>) {
  return (
    <section className={full ? 'panel panel-full' : 'panel'} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {items.length === 0 ? <p className="muted">{empty}</p> : <ul className="sc-list" data-testid={id}>{items.map(render)}</ul>}
    </section>
  );
}

/** One fact of an entry: its label, its value, and a class for the value ("mono", "wrap"). */
type EntryFact = [label: string, value: ReactNode, className?: string];

/** One entry: its name, any badges beside it, and its facts. */
function Entry({ title, badges = [], facts = [], children }: { title: string; badges?: string[]; facts?: EntryFact[]; children?: ReactNode }) {
  return (
    <li className="sc-item">
      <div className="sc-item-head">
        <strong className="wrap">{title}</strong>
        {badges.map((badge) => (
          <span key={badge} className="badge badge-alert">
            {badge}
          </span>
        ))}
      </div>
      {children}
      {facts.length > 0 ? (
        <dl className="sc-facts">
          {facts.map(([label, value, className]) => (
            <Fact key={label} label={label} className={className}>
              {value}
            </Fact>
          ))}
        </dl>
      ) : null}
    </li>
  );
}

export function ProfileLists({ profile }: { profile: StaffUserProfile }) {
  return (
    <>
      <ListPanel
        id="profile-kyc"
        title="Identity checks"
        items={profile.kycCases}
        empty="No identity check sent."
        render={(kycCase) => <KycCaseItem key={kycCase.id} kycCase={kycCase} showEmail={false} />}
      />
      <ListPanel
        id="profile-factors"
        title="Second factors"
        items={profile.factors}
        empty="No second factor."
        render={(factor, index) => (
          <Entry
            key={`${factor.method}-${index}`}
            title={factor.name}
            facts={[
              ['Kind', methodWords(factor.method)],
              ['Added', factor.createdAt ? <When iso={factor.createdAt} /> : 'Unknown'],
            ]}
          />
        )}
      />
      <ListPanel
        id="profile-sessions"
        title="Sessions"
        items={profile.sessions}
        empty="Not signed in anywhere."
        render={(session) => (
          <Entry
            key={session.id}
            title={session.device}
            facts={[
              ['IP address', session.ip ?? 'Unknown', 'mono'],
              ['Signed in with', methodWords(session.authMethod)],
              ['Last active', <When iso={session.lastActiveAt} />],
              ['Signed in', <When iso={session.createdAt} />],
            ]}
          />
        )}
      />
      <ListPanel
        id="profile-devices"
        title="Known devices"
        items={profile.devices}
        empty="No known device."
        render={(device) => (
          <Entry
            key={device.id}
            title={device.label}
            facts={[
              ['Location', device.lastLocation ?? 'Unknown', 'wrap'],
              ['Last seen', <When iso={device.lastSeenAt} />],
            ]}
          />
        )}
      />
      <ListPanel
        id="profile-holds"
        title="Withdrawal holds"
        items={profile.holds}
        empty="No withdrawal hold."
        render={(hold, index) => (
          <Entry key={`${hold.until}-${index}`} title={hold.reason} facts={[['Until', <Later iso={hold.until} />]]} />
        )}
      />
      <ListPanel
        id="profile-activity"
        title="Login activity"
        full
        items={profile.activity}
        empty="No sign-in attempt."
        render={(entry, index) => (
          <Entry key={`${entry.at}-${index}`} title={resultWords(entry.result)} badges={activityBadges(entry)}>
            <p className="sc-when">
              <When iso={entry.at} />
            </p>
            <AttemptFacts device={entry.device} location={entry.place ?? 'Unknown'} ip={entry.ip} method={entry.method} />
          </Entry>
        )}
      />
      <section className="panel panel-full" aria-labelledby="profile-history-heading">
        <h2 id="profile-history-heading">Security history</h2>
        {profile.securityHistory.length === 0 ? <p className="muted">No security event.</p> : <AuditTable events={profile.securityHistory} label="Security events of this account" />}
        <p>
          <Link to={withQuery('/staff/audit', { subject: profile.user.id })}>Every event about this account</Link>
        </p>
      </section>
    </>
  );
}
