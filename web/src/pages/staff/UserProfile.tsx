/**
 * Staff console, a user's profile (/staff/user?id=…): GET /api/staff/users/{id}, everything support
 * needs to help (never a secret), and the actions the role allows. After an action the profile
 * loads again and says what happened.
 */
import { useState } from 'react';
import type { StaffUserProfile } from '../../../../src/contracts/staff.ts';
import { SuccessMessage } from '../../components/Messages.tsx';
import { useFocusRequest } from '../../components/security/focus.ts';
import { LoadState } from '../../components/security/LoadState.tsx';
import { NotNamed } from '../../components/staff/NotNamed.tsx';
import { staffPage } from '../../components/staff/StaffShell.tsx';
import { useStaffData } from '../../components/staff/useStaffData.ts';
import { useQueryParam } from '../../router.tsx';
import { ProfileLists } from './ProfileLists.tsx';
import { AccountPanel, StatusPanel } from './ProfileStatus.tsx';
import { UserActions } from './UserActions.tsx';

export const StaffUserPage = staffPage('User profile', 'users', Profile);

function Profile() {
  const id = useQueryParam('id');
  const { data: profile, error, reload } = useStaffData<StaffUserProfile>(id ? `/api/staff/users/${encodeURIComponent(id)}` : null);
  const [done, setDone] = useState('');
  const [doneBox, focusDone] = useFocusRequest<HTMLDivElement>();

  if (!id) {
    return <NotNamed what="account" back="Find a user" to="/staff" />;
  }

  const acted = (message: string) => {
    setDone(message);
    reload();
    // The form is gone: carry on from the message that says what happened.
    focusDone();
  };

  return (
    <>
      <LoadState what="the profile" loaded={profile !== null} error={error} onRetry={reload} />
      <div ref={doneBox} tabIndex={-1} data-testid="staff-done">
        <SuccessMessage>{done}</SuccessMessage>
      </div>
      {profile ? (
        <div className="grid">
          <AccountPanel profile={profile} />
          <StatusPanel profile={profile} />
          <UserActions profile={profile} onDone={acted} />
          <ProfileLists profile={profile} />
        </div>
      ) : null}
    </>
  );
}
