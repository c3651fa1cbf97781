/**
 * Create a wallet in three steps: the new 12 words (shown once), the user types back three of
 * them chosen at random (in order), then a local passcode. The phrase lives only in this
 * component's memory until it is encrypted into the vault.
 */
import { useState, type FormEvent } from 'react';
import { Checkbox, SubmitButton, TextField } from '../../components/Fields.tsx';
import { ErrorMessage } from '../../components/Messages.tsx';
import { pickPositions } from '../../wallet/confirm.ts';
import { encryptMnemonic, generateMnemonic, normalizeMnemonic } from '../../wallet/lib.ts';
import { walletErrorMessage } from '../../wallet/messages.ts';
import { saveWallet, type StoredWallet } from '../../wallet/storage.ts';
import { openWallet, type UnlockedWallet } from '../../wallet/unlocked.ts';
import { PasscodeForm } from './PasscodeForm.tsx';
import { StepHeading } from './parts.tsx';

/** How many words the user types back. */
export const WORDS_TO_CONFIRM = 3;

type Step = 'words' | 'confirm' | 'passcode';

interface Props {
  onCreated: (stored: StoredWallet, wallet: UnlockedWallet) => void;
  onCancel: () => void;
}

export function CreateWallet({ onCreated, onCancel }: Props) {
  const [phrase, setPhrase] = useState(() => generateMnemonic(12));
  const [step, setStep] = useState<Step>('words');
  const [positions, setPositions] = useState<number[]>([]);
  const [error, setError] = useState('');
  const words = phrase.split(' ');

  const startOver = () => {
    setPhrase(generateMnemonic(12));
    setStep('words');
    setError('');
  };

  if (step === 'words') {
    return (
      <WordsStep
        words={words}
        onContinue={() => {
          setPositions(pickPositions(words.length, WORDS_TO_CONFIRM));
          setStep('confirm');
        }}
        onCancel={onCancel}
      />
    );
  }

  if (step === 'confirm') {
    return <ConfirmStep words={words} positions={positions} onConfirmed={() => setStep('passcode')} onStartOver={startOver} />;
  }

  return (
    <section aria-labelledby="wallet-step">
      <StepHeading>
        <span id="wallet-step">Step 3 of 3: choose a passcode</span>
      </StepHeading>
      <PasscodeForm
        submitLabel="Create wallet"
        busyLabel="Encrypting your wallet…"
        error={error}
        onBack={onCancel}
        onSubmit={async (passcode) => {
          setError('');
          try {
            const vault = await encryptMnemonic(phrase, passcode);
            const stored = await saveWallet(vault, 'created');
            onCreated(stored, await openWallet(phrase));
          } catch (failure) {
            setError(walletErrorMessage(failure));
          }
        }}
      />
    </section>
  );
}

function WordsStep({ words, onContinue, onCancel }: { words: string[]; onContinue: () => void; onCancel: () => void }) {
  const [written, setWritten] = useState(false);
  return (
    <section aria-labelledby="wallet-step">
      <StepHeading>
        <span id="wallet-step">Step 1 of 3: write down your recovery phrase</span>
      </StepHeading>
      <div className="message message-warning">
        <p>
          <strong>These {words.length} words are the only way to recover this wallet.</strong> Anyone who has them can take your funds.
        </p>
        <p>
          Write them on paper, in order, and keep it somewhere safe. Do not photograph them or store them online. They are shown only this
          once; Bastion never sees them and cannot recover them for you.
        </p>
      </div>
      <ol className="word-list" translate="no" aria-label="Recovery phrase">
        {words.map((word, index) => (
          <li key={index}>
            <span className="word-number" aria-hidden="true">
              {index + 1}
            </span>
            <span className="mono" data-testid="recovery-word">
              {word}
            </span>
          </li>
        ))}
      </ol>
      <Checkbox label={`I have written down the ${words.length} words in order.`} checked={written} onCheckedChange={setWritten} />
      <div className="actions">
        <button type="button" onClick={onContinue} disabled={!written}>
          Continue
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}

interface ConfirmProps {
  words: string[];
  positions: number[];
  onConfirmed: () => void;
  onStartOver: () => void;
}

function ConfirmStep({ words, positions, onConfirmed, onStartOver }: ConfirmProps) {
  const [typed, setTyped] = useState<string[]>(() => positions.map(() => ''));
  const [error, setError] = useState('');
  const numbers = positions.map((p) => p + 1);
  const spoken = numbers.length > 1 ? `${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}` : String(numbers[0]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    for (const [i, position] of positions.entries()) {
      const entry = normalizeMnemonic(typed[i] ?? '');
      if (!entry) {
        setError(`Enter word ${position + 1}.`);
        return;
      }
      if (entry !== words[position]) {
        setError(`Word ${position + 1} does not match your recovery phrase. Check what you wrote down, in order.`);
        return;
      }
    }
    setError('');
    onConfirmed();
  };

  return (
    <section aria-labelledby="wallet-step">
      <StepHeading>
        <span id="wallet-step">Step 2 of 3: confirm your recovery phrase</span>
      </StepHeading>
      <p>
        From what you wrote down, type words {spoken}, in that order. This makes sure your copy is complete before the words disappear from
        the screen.
      </p>
      <form onSubmit={submit} noValidate>
        <ErrorMessage>{error}</ErrorMessage>
        {positions.map((position, i) => (
          <TextField
            key={position}
            label={`Word ${position + 1}`}
            value={typed[i] ?? ''}
            onValueChange={(value) => setTyped((all) => all.map((old, j) => (j === i ? value : old)))}
            data-word-position={position + 1}
            autoComplete="off"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            translate="no"
          />
        ))}
        <SubmitButton busy={false} label="Confirm words" busyLabel="Checking…" className="button-block" />
      </form>
      <p className="links">
        <button type="button" className="button-link" onClick={onStartOver}>
          I did not write them down: start again with new words
        </button>
      </p>
    </section>
  );
}
