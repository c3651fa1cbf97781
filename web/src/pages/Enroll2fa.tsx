/**
 * The mandatory second factor of a new account (restricted session): a passkey or an authenticator
 * app. Also the way to add or replace the authenticator app from security settings (step-up when
 * the account already has a strong factor).
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { AddPasskeyAnswer } from '../../../src/contracts/passkeys.ts';
import type { TotpConfirmAnswer, TotpConfirmBody, TotpSetupAnswer as TotpSetup } from '../../../src/contracts/two-factor.ts';
import { isApiError, post } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { copyText } from '../clipboard.ts';
import { BackupCodes } from '../components/BackupCodes.tsx';
import { AddPasskeyForm } from '../components/passkeys/AddPasskeyForm.tsx';
import { SubmitButton, TextField } from '../components/Fields.tsx';
import { ErrorMessage, StatusMessage, SuccessMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { useStepUp } from '../components/StepUp.tsx';
import { useOnce } from '../hooks.ts';
import { passkeysSupported } from '../passkeys.ts';
import { afterSignIn } from '../return-to.ts';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';

type State =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'setup'; setup: TotpSetup }
  | { kind: 'codes'; codes: string[]; passkey: boolean }
  | { kind: 'done'; title: string; message: string };

/** The QR code as an <img> source: the PNG data URL, or the SVG as a data URL. Nothing else. */
function qrSource(setup: TotpSetup): string {
  if (/^data:image\/png;base64,[A-Za-z0-9+/=]+$/.test(setup.qrPng)) return setup.qrPng;
  return `data:image/svg+xml;utf8,${encodeURIComponent(setup.qrSvg)}`;
}

const groupInFours = (secret: string) => secret.replace(/\s+/g, '').match(/.{1,4}/g)?.join(' ') ?? secret;

export function Enroll2faPage() {
  const { me, refresh } = useSession();
  const [state, setState] = useState<State>({ kind: 'loading' });

  const onError = useCallback((failure: unknown) => {
    if (isApiError(failure, 'not_authenticated')) {
      navigate('/login', { replace: true });
      return;
    }
    // The terms of service changed since the account accepted them: that comes first.
    if (isApiError(failure, 'terms_not_accepted')) {
      navigate('/accept-terms', { replace: true });
      return;
    }
    setState({ kind: 'failed', message: errorMessage(failure) });
  }, []);
  const stepUp = useStepUp(onError);
  /** Words for a failed passkey enrollment; a session that ended goes back to sign-in. */
  const describeFailure = useCallback((failure: unknown) => {
    if (isApiError(failure, 'not_authenticated')) {
      navigate('/login', { replace: true });
      return '';
    }
    if (isApiError(failure, 'terms_not_accepted')) {
      navigate('/accept-terms', { replace: true });
      return '';
    }
    return errorMessage(failure);
  }, []);
  const { run } = stepUp;

  const start = useCallback(() => {
    setState({ kind: 'loading' });
    void run(async () => {
      const setup = await post<TotpSetup>('/api/me/2fa/totp/setup');
      setState({ kind: 'setup', setup });
    });
  }, [run]);

  useOnce(() => {
    start();
    refresh().catch(() => null);
  });

  // Once enabled, the explanation above the setup no longer applies.
  const settingUp = state.kind !== 'codes' && state.kind !== 'done';
  const replacing = me?.security.twoFactor.methods.includes('totp') === true;
  // The first second factor may be a passkey instead (more are added in security settings).
  const offerPasskey = settingUp && me !== null && !me.security.twoFactor.enabled && passkeysSupported();

  const passkeyAdded = async (added: AddPasskeyAnswer) => {
    await refresh().catch(() => null);
    setState(
      added.backupCodes
        ? { kind: 'codes', codes: added.backupCodes, passkey: true }
        : { kind: 'done', title: 'Passkey added', message: `Your passkey “${added.passkey.name}” is ready.` },
    );
  };

  return (
    <Page
      title="Set up two-factor authentication"
      intro={
        !settingUp ? null : me?.session.restricted ? (
          <p>
            Your account needs two-factor authentication before you can use it. It takes a minute.
            {offerPasskey ? ' Choose a passkey or an authenticator app; you can add the other later.' : ''}
          </p>
        ) : replacing ? (
          <p>Connect a new authenticator app. Your old one stops working once the new one is confirmed.</p>
        ) : me?.security.twoFactor.enabled ? (
          <p>Add an authenticator app as another way to confirm it is you.</p>
        ) : null
      }
    >
      {stepUp.prompt}
      {offerPasskey ? (
        <>
          <section className="enroll-option" aria-labelledby="enroll-passkey-heading">
            <h2 id="enroll-passkey-heading">Use a passkey</h2>
            <p>Face ID, fingerprint or screen lock: nothing to type, and a passkey only works on the real Bastion site.</p>
            <AddPasskeyForm run={run} onAdded={passkeyAdded} label="Create a passkey" describe={describeFailure} />
          </section>
          <h2 className="enroll-or">Or use an authenticator app</h2>
        </>
      ) : null}
      {state.kind === 'loading' && !stepUp.asking ? <StatusMessage>Preparing your authenticator setup…</StatusMessage> : null}
      {state.kind === 'failed' ? (
        <>
          <ErrorMessage>{state.message}</ErrorMessage>
          <div className="actions">
            <button type="button" onClick={start}>
              Try again
            </button>
            {!me?.session.restricted ? <Link to="/security">Back to security settings</Link> : null}
          </div>
        </>
      ) : null}
      {state.kind === 'setup' ? (
        <SetupForm
          setup={state.setup}
          onRestart={start}
          onEnabled={async (codes) => {
            await refresh().catch(() => null);
            setState(
              codes
                ? { kind: 'codes', codes, passkey: false }
                : replacing
                  ? { kind: 'done', title: 'Authenticator replaced', message: 'Your new authenticator app is connected. The old one no longer works.' }
                  : { kind: 'done', title: 'Authenticator app added', message: 'Your authenticator app is connected.' },
            );
          }}
          onSessionEnded={() => navigate('/login', { replace: true })}
        />
      ) : null}
      {state.kind === 'codes' ? (
        <>
          <SuccessMessage>Two-factor authentication is on{state.passkey ? ', with your passkey' : ''}.</SuccessMessage>
          <BackupCodes codes={state.codes} {...(me ? { email: me.user.email } : {})} />
          <button type="button" className="button-block" onClick={() => navigate(afterSignIn())}>
            I have saved my backup codes
          </button>
        </>
      ) : null}
      {state.kind === 'done' ? (
        <>
          <FocusHeading>{state.title}</FocusHeading>
          <SuccessMessage>{state.message}</SuccessMessage>
          <p className="links">
            <Link to="/security">Back to security settings</Link>
            <Link to="/dashboard">Go to dashboard</Link>
          </p>
        </>
      ) : null}
    </Page>
  );
}

/** A section heading that takes focus when it appears (the form before it is gone). */
function FocusHeading({ children }: { children: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <h2 ref={heading} tabIndex={-1}>
      {children}
    </h2>
  );
}

interface SetupFormProps {
  setup: TotpSetup;
  onEnabled: (backupCodes: string[] | undefined) => Promise<void>;
  onRestart: () => void;
  onSessionEnded: () => void;
}

function SetupForm({ setup, onEnabled, onRestart, onSessionEnded }: SetupFormProps) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [expired, setExpired] = useState(false);
  const [copied, setCopied] = useState('');

  const copyKey = async () => {
    setCopied((await copyText(setup.secret)) ? 'Key copied.' : 'Copying did not work here. Select the key and copy it.');
  };

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    const entered = code.replace(/\s+/g, '');
    if (!entered) return setError('Enter the 6-digit code your authenticator app shows.');
    setBusy(true);
    try {
      const answer = await post<TotpConfirmAnswer>('/api/me/2fa/totp/confirm', { code: entered } satisfies TotpConfirmBody);
      await onEnabled(answer.backupCodes);
    } catch (failure) {
      setBusy(false);
      if (isApiError(failure, 'not_authenticated')) return onSessionEnded();
      if (isApiError(failure, 'no_pending_setup')) setExpired(true);
      setError(errorMessage(failure));
    }
  };

  return (
    <>
      <ol className="steps">
        <li>Install an authenticator app on your phone, such as Google Authenticator, Microsoft Authenticator, 1Password or Aegis.</li>
        <li>
          Scan this QR code with the app.
          <img className="qr" src={qrSource(setup)} alt="QR code for adding Bastion to your authenticator app" width={200} height={200} />
          <span className="muted small">
            On this phone? <a href={setup.otpauthUrl}>Open in your authenticator app</a>.
          </span>
        </li>
        <li>
          Cannot scan it? Enter this key in the app instead:
          <span className="secret-row">
            <code className="mono secret" data-testid="totp-secret">
              {groupInFours(setup.secret)}
            </code>
            <button type="button" className="button-secondary button-small" onClick={copyKey}>
              Copy key
            </button>
          </span>
          <StatusMessage>{copied}</StatusMessage>
        </li>
        <li>Enter the 6-digit code the app now shows for Bastion.</li>
      </ol>
      <form onSubmit={confirm} noValidate aria-busy={busy}>
        <TextField
          label="Code from your authenticator app"
          value={code}
          onValueChange={setCode}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={12}
        />
        <ErrorMessage>{error}</ErrorMessage>
        {expired ? (
          <button type="button" className="button-secondary" onClick={onRestart}>
            Start again
          </button>
        ) : null}
        <SubmitButton busy={busy} label="Enable two-factor authentication" busyLabel="Enabling…" className="button-block" />
      </form>
    </>
  );
}
