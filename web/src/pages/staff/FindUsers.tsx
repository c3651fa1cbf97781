/**
 * Staff console, find a user (/staff?query=…): search by email, account id or document number
 * (GET /api/staff/users?query=…); each result links to the profile. The query lives in the URL, so
 * Back returns to the results.
 */
import { useId, useState, type FormEvent } from 'react';
import type { UserSearchBody } from '../../../../src/contracts/staff.ts';
import { SubmitButton, TextField } from '../../components/Fields.tsx';
import { ErrorMessage } from '../../components/Messages.tsx';
import { LoadState } from '../../components/security/LoadState.tsx';
import { staffPage } from '../../components/staff/StaffShell.tsx';
import { UserBadges, UserFacts } from '../../components/staff/UserSummary.tsx';
import { useStaffData } from '../../components/staff/useStaffData.ts';
import { count, profilePath, withQuery } from '../../components/staff/words.ts';
import { Link, navigate, useQueryParam } from '../../router.tsx';

export const StaffFindUsersPage = staffPage('Find a user', 'users', FindUsers);

function FindUsers() {
  const query = useQueryParam('query');
  const [text, setText] = useState(query);
  const [problem, setProblem] = useState('');
  const problemId = useId();
  const { data, error, reload } = useStaffData<UserSearchBody>(query ? withQuery('/api/staff/users', { query }) : null);

  const search = (event: FormEvent) => {
    event.preventDefault();
    const wanted = text.trim();
    if (!wanted) {
      setProblem('Enter an email address, an account id or a document number.');
      return;
    }
    setProblem('');
    if (wanted === query) reload();
    else navigate(withQuery('/staff', { query: wanted }));
  };

  return (
    <>
      <section className="panel" aria-labelledby="search-heading">
        <h2 id="search-heading">Search</h2>
        <form onSubmit={search} noValidate role="search">
          <TextField
            label="Search users"
            hint="An email address, an account id or a document number."
            type="search"
            value={text}
            onValueChange={setText}
            errorId={problem ? problemId : undefined}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            maxLength={254}
          />
          <ErrorMessage id={problemId}>{problem}</ErrorMessage>
          <SubmitButton busy={query !== '' && data === null && !error} label="Search" busyLabel="Searching…" />
        </form>
      </section>
      {query ? (
        <section className="panel staff-results" aria-labelledby="results-heading">
          <h2 id="results-heading">Results</h2>
          <LoadState what="the results" loaded={data !== null} error={error} onRetry={reload} />
          {data ? (
            <p className="small" aria-live="polite">
              {data.users.length === 0 ? `No account matches “${query}”.` : `${count(data.users.length, 'account matches', 'accounts match')} “${query}”.`}
            </p>
          ) : null}
          {data && data.users.length > 0 ? (
            <ul className="sc-list" data-testid="staff-users">
              {data.users.map((user) => (
                <li key={user.id} className="sc-item" data-testid="staff-user">
                  <div className="sc-item-head">
                    <Link to={profilePath(user.id)} className="wrap">
                      {user.email}
                    </Link>
                    <UserBadges user={user} />
                  </div>
                  <UserFacts user={user} />
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
