/**
 * Sign-in in three steps, one component each (login/): (1) email and password, (2) the second factor,
 * and (3) confirming a new device when the API asks for it. A passkey can replace steps 1 and 2
 * (autofill in the email field, or the "Sign in with a passkey" button: login/usePasskeySignIn.ts).
 * This page holds what the steps share: which step shows, the email address and the flow.
 */
import { useEffect, useRef, useState } from 'react';
import type { NextStep, PasskeySignInAnswer, PasswordStepAnswer } from '../../../src/contracts/login.ts';
import { SuccessMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { navigate, useLocation } from '../router.tsx';
import { afterSignIn } from '../return-to.ts';
import { useSession } from '../session.tsx';
import { DeviceStep } from './login/DeviceStep.tsx';
import { PasswordStep } from './login/PasswordStep.tsx';
import { SecondFactorStep } from './login/SecondFactorStep.tsx';

type Step = 'password' | 'second' | 'device';

const STEP_TITLES: Record<Step, string> = {
  password: 'Step 1 of 2: your email and password',
  second: 'Step 2 of 2: confirm it is you',
  device: 'Confirm this device',
};

export function LoginPage() {
  const { query } = useLocation();
  const { refresh } = useSession();
  const [step, setStep] = useState<Step>('password');
  const [email, setEmail] = useState('');
  const [flow, setFlow] = useState('');
  /** What the password step's answer listed: the second factors on offer. */
  const [next, setNext] = useState<NextStep[]>([]);
  /** What step 1 says when a later step sends the user back (e.g. the flow expired). */
  const [startError, setStartError] = useState('');

  // Each new step is announced by moving focus to its heading (not on arrival: the page title has it).
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    stepHeading.current?.focus();
  }, [step]);

  const banner = query.get('verified')
    ? 'Your email address is verified. Sign in to continue.'
    : query.get('reset')
      ? 'Your password was reset. Sign in with your new password.'
      : query.get('unlocked')
        ? 'Your account is unlocked. Sign in to continue.'
        : '';

  const backToStart = (message: string) => {
    setStartError(message);
    setFlow('');
    setStep('password');
  };

  const afterStart = async (answer: PasswordStepAnswer) => {
    setFlow(answer.flow);
    if (answer.next.includes('enroll_2fa')) {
      // New terms of service come before anything else, the enrolment too.
      const me = await refresh().catch(() => null);
      navigate(me?.terms.mustAccept ? '/accept-terms' : '/enroll-2fa');
      return;
    }
    if (answer.next.includes('confirm_device')) {
      setStep('device');
      return;
    }
    setNext(answer.next);
    setStep('second');
  };

  const afterPasskey = (answer: PasskeySignInAnswer) => {
    if ('flow' in answer && answer.next.includes('confirm_device')) {
      setFlow(answer.flow);
      setStep('device');
      return;
    }
    navigate(afterSignIn());
  };

  return (
    <Page title="Sign in">
      <SuccessMessage>{step === 'password' ? banner : ''}</SuccessMessage>
      <h2 className="step-title" ref={stepHeading} tabIndex={-1}>
        {STEP_TITLES[step]}
      </h2>
      {step === 'password' ? (
        <PasswordStep email={email} onEmailChange={setEmail} initialError={startError} onStarted={afterStart} onPasskeyAnswer={afterPasskey} />
      ) : null}
      {step === 'second' ? (
        <SecondFactorStep email={email} flow={flow} next={next} onDeviceToConfirm={() => setStep('device')} backToStart={backToStart} />
      ) : null}
      {step === 'device' ? <DeviceStep flow={flow} backToStart={backToStart} /> : null}
    </Page>
  );
}
