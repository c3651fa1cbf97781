/**
 * Passkeys in security settings: the list (GET /api/me/passkeys) with rename and delete, and adding
 * one. Adding and deleting need a fresh strong factor (step-up); the last strong factor of an
 * account cannot be deleted (409 last_strong_factor).
 */
import { LoadState } from './LoadState.tsx';
import { useCallback, useState } from 'react';
import type { AddPasskeyAnswer, PasskeyList, PublicPasskey as Passkey } from '../../../../src/contracts/passkeys.ts';
import { passkeysSupported } from '../../passkeys.ts';
import { ErrorMessage, SuccessMessage } from '../Messages.tsx';
import { AddPasskeyForm } from '../passkeys/AddPasskeyForm.tsx';
import { PasskeyItem } from '../passkeys/PasskeyItem.tsx';
import { useStepUp } from '../StepUp.tsx';
import { useFocusRequest } from './focus.ts';
import { useFailureHandler, useSecurityData } from './useSecurityData.ts';
import { describeCode } from '../../error-messages.ts';

export function Passkeys({ refreshKey, onChanged }: { refreshKey: number; onChanged: () => void }) {
  const describe = useFailureHandler();
  const { data, error, reload } = useSecurityData<PasskeyList>('/api/me/passkeys', refreshKey);
  const [done, setDone] = useState('');
  const [stepUpError, setStepUpError] = useState('');
  /** Passkeys deleted here, hidden at once (the list then loads again). */
  const [deleted, setDeleted] = useState<ReadonlySet<string>>(new Set());
  const [heading, focusHeading] = useFocusRequest<HTMLHeadingElement>();
  const stepUp = useStepUp(useCallback((failure: unknown) => setStepUpError(describe(failure)), [describe]));
  const run = useCallback(
    (action: () => Promise<void>) => {
      setDone('');
      setStepUpError('');
      return stepUp.run(action);
    },
    [stepUp],
  );

  const added = ({ passkey }: AddPasskeyAnswer) => {
    setDone(`The passkey “${passkey.name}” is added. You can now sign in with it.`);
    onChanged();
  };

  const renamed = (passkey: Passkey) => {
    setDone(`The passkey is now called “${passkey.name}”.`);
    onChanged();
  };

  const removed = (passkey: Passkey) => {
    setDeleted((all) => new Set([...all, passkey.id]));
    setDone(`The passkey “${passkey.name}” is deleted.`);
    onChanged();
    // The item and its buttons are gone: carry on from the heading.
    focusHeading();
  };

  const passkeys = (data?.passkeys ?? []).filter((p) => !deleted.has(p.id));

  return (
    <section className="panel panel-full" id="passkeys" aria-labelledby="passkeys-heading">
      <h2 id="passkeys-heading" ref={heading} tabIndex={-1}>
        Passkeys
      </h2>
      <p className="muted small">
        Sign in with Face ID, your fingerprint, your screen lock or a security key. A passkey only works on the real Bastion site, so it cannot be
        phished.
      </p>
      {stepUp.prompt}
      <LoadState what="passkeys" loaded={data !== null} error={error} onRetry={reload} />
      <SuccessMessage>{done}</SuccessMessage>
      <ErrorMessage>{stepUpError}</ErrorMessage>
      {data && passkeys.length === 0 ? <p>You have no passkeys yet.</p> : null}
      {passkeys.length > 0 ? (
        <ul className="sc-list" data-testid="passkeys">
          {passkeys.map((passkey) => (
            <PasskeyItem key={passkey.id} passkey={passkey} run={run} describe={describe} onRenamed={renamed} onDeleted={removed} />
          ))}
        </ul>
      ) : null}
      <h3 className="passkey-add-heading">Add a passkey</h3>
      {passkeysSupported() ? (
        <AddPasskeyForm withName run={run} onAdded={added} label="Add a passkey" describe={describe} disabled={stepUp.asking} />
      ) : (
        <p>{describeCode('passkey_unsupported')}</p>
      )}
    </section>
  );
}
