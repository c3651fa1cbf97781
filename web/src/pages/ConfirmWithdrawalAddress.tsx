/**
 * The link in "Confirm a new withdrawal address" (/confirm-withdrawal-address?token=…): says what
 * confirming does, and confirms only when the button is pressed (mail scanners open links). No
 * sign-in needed: the link is the proof of the inbox. Shows when the address becomes usable.
 */
import { useState } from 'react';
import type { AddressEntry } from '../../../src/contracts/withdrawal-addresses.ts';
import { post } from '../api.ts';
import { SuccessMessage } from '../components/Messages.tsx';
import { LinkActionPage } from '../components/security/LinkPage.tsx';
import '../components/security/security.css';
import { useLinkAction } from '../components/security/useLinkAction.ts';
import { Link } from '../router.tsx';

export function ConfirmWithdrawalAddressPage() {
  const [entry, setEntry] = useState<AddressEntry | null>(null);
  const link = useLinkAction(async (token) => setEntry(await post<AddressEntry>('/api/withdrawal-addresses/confirm', { token })), 'This link is incomplete: open the whole link from the email.');

  return (
    <LinkActionPage
      link={link}
      titles={{ ask: 'Confirm the new withdrawal address?', done: 'Address confirmed', failed: 'Nothing was confirmed' }}
      question={
        <>
          <p>
            Someone signed in to your account asked to add a withdrawal address. Check every character of it in the email first: funds sent to an address cannot
            be called back.
          </p>
          <ul className="next-steps">
            <li>Once confirmed, the address can receive withdrawals after a waiting period, so a thief cannot use it at once.</li>
            <li>If you did not ask for this, do not confirm: change your password, and lock your account from the link in any of our emails.</li>
          </ul>
        </>
      }
      button="Confirm this address"
      working="Confirming…"
      done={
        entry ? (
          <div data-testid="address-confirmed">
            <SuccessMessage>
              {entry.label} ({entry.asset}) is in your address book. It can be used for withdrawals from{' '}
              {entry.usableFrom ? new Date(entry.usableFrom).toLocaleString() : 'the end of the waiting period'}.
            </SuccessMessage>
            <p className="mono small">{entry.address}</p>
            <p className="links">
              <Link to="/dashboard">Go to your dashboard</Link>
            </p>
          </div>
        ) : null
      }
      advice={<p>Add the address again from your dashboard to get a new link, or contact support if you did not ask for it.</p>}
    />
  );
}
