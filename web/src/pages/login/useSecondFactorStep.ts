/**
 * The second step's state: the methods offered (the server lists them), the factor chosen and its
 * code, an emailed code sent on request, and verifying. An account its owner locked is unlocked only
 * with a strong factor: when the server says so, only those stay on offer.
 */
import { useRef, useState, type FormEvent } from 'react';
import type { EmailCodeAnswer, FlowBody, NextStep, SecondFactorAnswer, SecondFactorBody } from '../../../../src/contracts/login.ts';
import { isApiError, post } from '../../api.ts';
import { FACTOR_ORDER, offeredFactors, type Factor } from '../../components/factors/factors.ts';
import { useFactor } from '../../components/factors/useFactor.ts';
import { errorMessage, lockedPagePath } from '../../errors.ts';
import { isPasskeyAborted, type Sent } from '../../passkeys.ts';
import { navigate } from '../../router.tsx';
import { afterSignIn } from '../../return-to.ts';
import { useStepError } from './useStepError.ts';

/** The factors that can unlock an account its owner locked. */
const STRONG: readonly Factor[] = ['passkey', 'totp'];

interface Options {
  email: string;
  flow: string;
  /** What the password step's answer listed. */
  next: readonly NextStep[];
  /** The server wants the new device confirmed by email first. */
  onDeviceToConfirm: () => void;
  /** Back to step 1, with a message (the flow ended) or none ("Start over"). */
  backToStart: (message: string) => void;
}

export function useSecondFactorStep({ email, flow, next, onDeviceToConfirm, backToStart }: Options) {
  const [methods, setMethods] = useState<Factor[]>(() => offeredFactors(next, FACTOR_ORDER));
  const factor = useFactor<Factor>(methods[0] ?? 'totp');
  const [emailCodeSent, setEmailCodeSent] = useState(false);
  const [sending, setSending] = useState(false);
  const [busy, setBusy] = useState(false);
  const [info, setInfo] = useState('');
  const codeInput = useRef<HTMLInputElement>(null);
  const errors = useStepError({ code: codeInput });

  const chosen = () => {
    errors.clear();
    setInfo('');
  };

  const sendEmailCode = async () => {
    setSending(true);
    errors.setError('');
    setInfo('');
    try {
      await post<EmailCodeAnswer>('/api/auth/login/email-code', { flow } satisfies FlowBody);
      setEmailCodeSent(true);
      errors.focus('code');
      setInfo(`We sent a 6-digit code to ${email.trim()}. It is valid for 10 minutes.`);
    } catch (failure) {
      if (isApiError(failure, 'flow_expired')) backToStart(errorMessage(failure));
      else errors.setError(errorMessage(failure));
    } finally {
      setSending(false);
    }
  };

  const verify = async (event: FormEvent) => {
    event.preventDefault();
    errors.setError('');
    setInfo('');
    const { method } = factor;
    if (!factor.entered && method !== 'passkey') return errors.fail(method === 'backup_code' ? 'Enter one of your backup codes.' : 'Enter the 6-digit code.', 'code');
    if (busy) return;
    setBusy(true);
    try {
      const proof = await factor.prove({ path: '/api/auth/login/passkey-options', body: { flow } satisfies FlowBody });
      const body: Sent<SecondFactorBody> = { flow, ...proof };
      const answer = await post<SecondFactorAnswer>('/api/auth/login/verify', body);
      if ('next' in answer && answer.next.includes('confirm_device')) {
        onDeviceToConfirm();
        return;
      }
      navigate(afterSignIn());
    } catch (failure) {
      if (isPasskeyAborted(failure)) return;
      if (isApiError(failure, 'account_locked')) navigate(lockedPagePath(failure));
      else if (isApiError(failure, 'flow_expired')) backToStart(errorMessage(failure));
      else if (isApiError(failure, 'strong_factor_required')) {
        // Unlocking a locked account takes a strong factor (authenticator app or passkey): offer only those.
        const strong = methods.filter((m) => STRONG.includes(m));
        const offered: Factor[] = strong.length > 0 ? strong : ['totp'];
        setMethods(offered);
        factor.choose(offered[0] ?? 'totp');
        setInfo('');
        errors.fail(errorMessage(failure), offered[0] === 'passkey' ? undefined : 'code');
      } else errors.fail(errorMessage(failure), method === 'passkey' ? undefined : 'code');
    } finally {
      setBusy(false);
    }
  };

  return {
    methods,
    factor,
    chosen,
    emailCode: { sent: emailCodeSent, sending, send: () => void sendEmailCode() },
    busy,
    info,
    errors,
    codeInput,
    verify,
  };
}
