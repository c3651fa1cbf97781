/**
 * An action on one item of a security-center list (end a session, forget a device, revoke an app):
 * one at a time, its outcome in words or its error, the list told it changed, and focus back on the
 * section's heading (the button pressed is usually gone with its item).
 */
import { useState } from 'react';
import { useFocusRequest } from './focus.ts';
import { useFailureHandler } from './useSecurityData.ts';

export function useListAction(onChanged: () => void) {
  const describe = useFailureHandler();
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState('');
  const [done, setDone] = useState('');
  const [heading, focusHeading] = useFocusRequest<HTMLHeadingElement>();

  /** Runs `action` for the item `id` (ignored while another runs); its answer is the message shown. */
  const act = async (id: string, action: () => Promise<string>) => {
    if (busy) return;
    setBusy(id);
    setActionError('');
    setDone('');
    try {
      setDone(await action());
      onChanged();
      focusHeading();
    } catch (failure) {
      setActionError(describe(failure));
    } finally {
      setBusy(null);
    }
  };
  return { busy, actionError, done, heading, act };
}
