/**
 * The new-device step's state: the emailed code, confirming with it, and meanwhile asking every few
 * seconds whether the emailed link was opened (in any browser): the server then lets this flow finish
 * without a code, and the page continues by itself. Opened in another tab of this browser, the link
 * finishes the sign-in there and ends the flow: this tab then finds the session and follows it.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ConfirmDeviceAnswer, ConfirmDeviceBody } from '../../../../src/contracts/login.ts';
import { isApiError, post } from '../../api.ts';
import { errorMessage, lockedPagePath } from '../../errors.ts';
import { navigate } from '../../router.tsx';
import { afterSignIn } from '../../return-to.ts';
import { useSession } from '../../session.tsx';
import { useStepError } from './useStepError.ts';

/** How often the device step asks whether the emailed link was opened (elsewhere). */
const DEVICE_POLL_MS = 3000;

interface Options {
  flow: string;
  /** Back to step 1, with a message (the flow ended) or none ("Start over"). */
  backToStart: (message: string) => void;
}

export function useDeviceStep({ flow, backToStart }: Options) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);
  const errors = useStepError({ code: codeInput });
  /** True while the emailed code is being checked: the link check waits meanwhile. */
  const confirming = useRef(false);
  const leave = useRef(backToStart);
  leave.current = backToStart;
  const { refresh } = useSession();
  /**
   * The flow ended (flow_expired): signed in meanwhile in another tab of this browser (the link was
   * opened there, or the code entered), and then this tab goes on too; otherwise back to step 1.
   */
  const afterFlowEnded = async (message: string) => {
    if (await refresh().catch(() => null)) navigate(afterSignIn());
    else leave.current(message);
  };

  useEffect(() => {
    if (!flow) return;
    let active = true;
    let timer = 0;
    const check = async () => {
      if (!confirming.current) {
        try {
          const answer = await post<ConfirmDeviceAnswer>('/api/auth/login/confirm-device', { flow } satisfies ConfirmDeviceBody);
          if (!active) return;
          if ('user' in answer) {
            active = false;
            navigate(afterSignIn());
            return;
          }
        } catch (failure) {
          if (!active) return;
          // device_not_confirmed is the expected answer while waiting; a brief network or rate
          // problem is tried again. Only a flow that has ended stops the wait.
          if (isApiError(failure, 'flow_expired') && !confirming.current) {
            active = false;
            await afterFlowEnded(errorMessage(failure));
            return;
          }
        }
      }
      if (active) timer = window.setTimeout(() => void check(), DEVICE_POLL_MS);
    };
    timer = window.setTimeout(() => void check(), DEVICE_POLL_MS);
    return () => {
      active = false;
      window.clearTimeout(timer);
    };
  }, [flow]);

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    errors.setError('');
    const entered = code.trim();
    if (!entered) return errors.fail('Enter the code from the email.', 'code');
    if (busy) return;
    setBusy(true);
    confirming.current = true;
    try {
      await post<ConfirmDeviceAnswer>('/api/auth/login/confirm-device', { flow, code: entered } satisfies ConfirmDeviceBody);
      navigate(afterSignIn());
    } catch (failure) {
      if (isApiError(failure, 'account_locked')) navigate(lockedPagePath(failure));
      else if (isApiError(failure, 'flow_expired')) await afterFlowEnded(errorMessage(failure));
      else errors.fail(errorMessage(failure), 'code');
    } finally {
      confirming.current = false;
      setBusy(false);
    }
  };

  return { code, setCode, busy, errors, codeInput, confirm };
}
