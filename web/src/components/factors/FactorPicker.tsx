/**
 * The one factor picker of sign-in, password reset and step-up. Given the methods offered (as the
 * server lists them, less what this browser cannot use), it shows a radio group to choose one, and
 * what the chosen method needs: a code field, a word on the passkey prompt, or for an emailed code
 * a "Send code" button first. Without a choice to make (step-up), every method offered shows at once.
 * The page keeps its form: it says what each field is called and does the submitting (useFactor's prove).
 */
import type { ReactNode, Ref } from 'react';
import { RadioGroup, TextField } from '../Fields.tsx';
import { FACTOR_LABELS, type Factor } from './factors.ts';
import type { FactorChoice } from './useFactor.ts';

/** A code method's field, in the page's words. */
interface CodeField {
  label: string;
  hint?: string;
  autoFocus?: boolean;
}

/** Per method offered: the code field, or for a passkey what to show (a hint, or a button). */
export type FactorFields<M extends Factor> = { [K in M]: K extends 'passkey' ? ReactNode : CodeField };

/** How each kind of code is typed. */
const CODE_INPUT = {
  totp: { inputMode: 'numeric', autoComplete: 'one-time-code', maxLength: 12 },
  email_code: { inputMode: 'numeric', autoComplete: 'one-time-code', maxLength: 12 },
  backup_code: { autoComplete: 'off', autoCapitalize: 'off', spellCheck: false, maxLength: 32 },
} as const;

interface EmailCode {
  sent: boolean;
  sending: boolean;
  send: () => void;
}

interface Props<M extends Factor> {
  methods: readonly M[];
  factor: FactorChoice<M>;
  fields: FactorFields<M>;
  /** The radio group to choose with; `onChoose` runs after each choice. */
  choice?: { legend: string; name: string; onChoose?: (method: M) => void };
  /** The code field, for moving focus to it, and the id of an error about it. */
  inputRef?: Ref<HTMLInputElement>;
  errorId?: string | undefined;
  /** An emailed code is sent on request, and typed once it is on its way. */
  emailCode?: EmailCode;
}

export function FactorPicker<M extends Factor>({ methods, factor, fields, choice, inputRef, errorId, emailCode }: Props<M>) {
  const shown: readonly M[] = choice ? [factor.method] : methods;
  return (
    <>
      {choice ? (
        <RadioGroup
          legend={choice.legend}
          name={choice.name}
          choices={methods.map((method) => ({ value: method, label: FACTOR_LABELS[method] }))}
          value={factor.method}
          onValueChange={(method) => {
            factor.choose(method);
            choice.onChoose?.(method);
          }}
        />
      ) : null}
      {shown.map((method) => (
        <FactorInput key={method} method={method} field={fields[method]} factor={factor} inputRef={inputRef} errorId={errorId} emailCode={emailCode} />
      ))}
    </>
  );
}

interface InputProps<M extends Factor> {
  method: M;
  field: FactorFields<M>[M];
  factor: FactorChoice<M>;
  inputRef: Ref<HTMLInputElement> | undefined;
  errorId: string | undefined;
  emailCode: EmailCode | undefined;
}

function FactorInput<M extends Factor>({ method, field, factor, inputRef, errorId, emailCode }: InputProps<M>) {
  if (method === 'passkey') {
    const passkey = field as ReactNode;
    return typeof passkey === 'string' ? <p className="hint">{passkey}</p> : <>{passkey}</>;
  }
  const { label, hint, autoFocus } = field as CodeField;
  const input = (
    <TextField
      inputRef={inputRef}
      errorId={errorId}
      label={label}
      hint={hint}
      value={factor.code}
      onValueChange={factor.setCode}
      autoFocus={autoFocus}
      {...CODE_INPUT[method as Exclude<Factor, 'passkey'>]}
    />
  );
  if (method !== 'email_code' || !emailCode) return input;
  return (
    <>
      <div className="inline-actions">
        <button type="button" className="button-secondary" onClick={emailCode.send} disabled={emailCode.sending} aria-busy={emailCode.sending}>
          {emailCode.sending ? 'Sending…' : 'Send code'}
        </button>
      </div>
      {emailCode.sent ? input : null}
    </>
  );
}
