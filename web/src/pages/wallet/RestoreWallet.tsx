/**
 * Restore a wallet from its recovery phrase: one field per word with completion from the BIP39
 * English list (a datalist), spelling suggestions for unknown words, and live checksum feedback;
 * then a local passcode.
 */
import { useId, useState, type ClipboardEvent, type FormEvent } from 'react';
import { ErrorMessage, StatusMessage, SuccessMessage } from '../../components/Messages.tsx';
import { wordsStartingWith } from '../../wallet/confirm.ts';
import { ENGLISH_WORDLIST, VALID_WORD_COUNTS, encryptMnemonic, normalizeMnemonic, suggestWords, validateMnemonic } from '../../wallet/lib.ts';
import { walletErrorMessage } from '../../wallet/messages.ts';
import { saveWallet, type StoredWallet } from '../../wallet/storage.ts';
import { openWallet, type UnlockedWallet } from '../../wallet/unlocked.ts';
import { PasscodeForm } from './PasscodeForm.tsx';
import { StepHeading } from './parts.tsx';

const WORDS = new Set(ENGLISH_WORDLIST);

interface Props {
  onRestored: (stored: StoredWallet, wallet: UnlockedWallet) => void;
  onCancel: () => void;
}

export function RestoreWallet({ onRestored, onCancel }: Props) {
  const [phrase, setPhrase] = useState('');
  const [error, setError] = useState('');

  if (!phrase) return <WordsForm onValid={setPhrase} onCancel={onCancel} />;

  return (
    <section aria-labelledby="wallet-step">
      <StepHeading>
        <span id="wallet-step">Step 2 of 2: choose a passcode</span>
      </StepHeading>
      <SuccessMessage>Your recovery phrase is valid.</SuccessMessage>
      <PasscodeForm
        submitLabel="Restore wallet"
        busyLabel="Encrypting your wallet…"
        error={error}
        onBack={onCancel}
        onSubmit={async (passcode) => {
          setError('');
          try {
            const vault = await encryptMnemonic(phrase, passcode);
            const stored = await saveWallet(vault, 'restored');
            onRestored(stored, await openWallet(phrase));
          } catch (failure) {
            setError(walletErrorMessage(failure));
          }
        }}
      />
    </section>
  );
}

type WordState = { kind: 'empty' } | { kind: 'ok' } | { kind: 'typing' } | { kind: 'unknown'; suggestions: string[] };

function wordState(word: string, touched: boolean): WordState {
  if (!word) return { kind: 'empty' };
  if (WORDS.has(word)) return { kind: 'ok' };
  // Still being typed: a prefix of some word, and the field has not been left yet.
  if (!touched && wordsStartingWith(word, ENGLISH_WORDLIST).length > 0) return { kind: 'typing' };
  return { kind: 'unknown', suggestions: suggestWords(word, ENGLISH_WORDLIST) };
}

function WordsForm({ onValid, onCancel }: { onValid: (phrase: string) => void; onCancel: () => void }) {
  const id = useId();
  const listId = `${id}-words`;
  const [count, setCount] = useState(12);
  const [words, setWords] = useState<string[]>(() => Array<string>(24).fill(''));
  const [touched, setTouched] = useState<boolean[]>(() => Array<boolean>(24).fill(false));
  const [submitted, setSubmitted] = useState(false);

  const entered = words.slice(0, count).map((w) => normalizeMnemonic(w));
  const filled = entered.filter(Boolean).length;
  const states = entered.map((w, i) => wordState(w, touched[i] ?? false));
  const unknown = states.flatMap((s, i) => (s.kind === 'unknown' ? [i] : []));
  const validation = filled === count && unknown.length === 0 ? validateMnemonic(entered.join(' ')) : null;

  const setWord = (index: number, value: string) => setWords((all) => all.map((old, i) => (i === index ? value : old)));
  const touch = (index: number, value = true) => setTouched((all) => all.map((old, i) => (i === index ? value : old)));

  /** On leaving a field: complete an unambiguous prefix (BIP39 words are unique by their first four letters). */
  const leave = (index: number) => {
    const word = normalizeMnemonic(words[index] ?? '');
    if (word.length >= 4 && !WORDS.has(word)) {
      const matches = wordsStartingWith(word, ENGLISH_WORDLIST);
      if (matches.length === 1 && matches[0]) setWord(index, matches[0]);
    } else if (word !== (words[index] ?? '')) {
      setWord(index, word);
    }
    touch(index);
  };

  /** Pasting several words spreads them over this field and the following ones. */
  const paste = (index: number, event: ClipboardEvent<HTMLInputElement>) => {
    const pasted = normalizeMnemonic(event.clipboardData.getData('text'));
    const parts = pasted ? pasted.split(' ') : [];
    if (parts.length < 2) return;
    event.preventDefault();
    const total = index + parts.length;
    if (index === 0 && (VALID_WORD_COUNTS as readonly number[]).includes(parts.length)) setCount(parts.length);
    else if (total > count) setCount((VALID_WORD_COUNTS as readonly number[]).find((c) => c >= total) ?? 24);
    setWords((all) => all.map((old, i) => (i >= index && i < total ? (parts[i - index] ?? old) : old)));
    setTouched((all) => all.map((old, i) => (i >= index && i < total ? true : old)));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setTouched((all) => all.map((old, i) => (i < count ? true : old)));
    if (validation?.ok) onValid(validation.phrase);
  };

  let summary: { tone: 'info' | 'error' | 'success'; text: string };
  if (unknown.length > 0) {
    summary = {
      tone: 'error',
      text: `${unknown.length === 1 ? `Word ${(unknown[0] ?? 0) + 1} is` : `Words ${unknown.map((i) => i + 1).join(', ')} are`} not in the BIP39 word list.`,
    };
  } else if (filled < count) {
    summary = { tone: submitted ? 'error' : 'info', text: `${filled} of ${count} words entered.` };
  } else if (validation && !validation.ok) {
    summary = { tone: 'error', text: `The checksum does not match: a word is wrong or the words are out of order.` };
  } else {
    summary = { tone: 'success', text: 'Checksum OK: this is a valid recovery phrase.' };
  }

  return (
    <section aria-labelledby="wallet-step">
      <StepHeading>
        <span id="wallet-step">Step 1 of 2: enter your recovery phrase</span>
      </StepHeading>
      <p>
        Type the words in order. Each word is checked against the BIP39 English list as you go; you can also paste the whole phrase into the
        first field. The words stay in this browser.
      </p>
      <form onSubmit={submit} noValidate translate="no">
        <div className="field">
          <label htmlFor={`${id}-count`}>Number of words</label>
          <select id={`${id}-count`} value={count} onChange={(event) => setCount(Number(event.target.value))}>
            {VALID_WORD_COUNTS.map((n) => (
              <option key={n} value={n}>
                {n} words
              </option>
            ))}
          </select>
        </div>
        <datalist id={listId}>
          {ENGLISH_WORDLIST.map((word) => (
            <option key={word} value={word} />
          ))}
        </datalist>
        <div className="word-inputs">
          {Array.from({ length: count }, (_, index) => {
            const state = states[index] ?? { kind: 'empty' };
            const inputId = `${id}-word-${index}`;
            const problemId = `${inputId}-problem`;
            return (
              <div key={index} className={state.kind === 'unknown' ? 'field word-field word-field-bad' : 'field word-field'}>
                <label htmlFor={inputId}>Word {index + 1}</label>
                <input
                  id={inputId}
                  type="text"
                  list={listId}
                  value={words[index] ?? ''}
                  onChange={(event) => {
                    setWord(index, event.target.value);
                    touch(index, false);
                  }}
                  onBlur={() => leave(index)}
                  onPaste={(event) => paste(index, event)}
                  aria-invalid={state.kind === 'unknown' || undefined}
                  aria-describedby={state.kind === 'unknown' ? problemId : undefined}
                  autoComplete="off"
                  autoCapitalize="none"
                  autoCorrect="off"
                  spellCheck={false}
                  data-word-index={index + 1}
                />
                {state.kind === 'unknown' ? (
                  <div className="word-problem" id={problemId}>
                    <span>{state.suggestions.length > 0 ? 'Not a BIP39 word. Did you mean:' : 'Not a BIP39 word.'}</span>
                    {state.suggestions.length > 0 ? (
                      <span className="word-suggestions">
                        {state.suggestions.map((suggestion) => (
                          <button
                            key={suggestion}
                            type="button"
                            className="button-secondary button-small"
                            aria-label={`Use ${suggestion} for word ${index + 1}`}
                            onClick={() => {
                              setWord(index, suggestion);
                              touch(index);
                            }}
                          >
                            {suggestion}
                          </button>
                        ))}
                      </span>
                    ) : null}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
        <div data-testid="phrase-status">
          {summary.tone === 'error' ? (
            <ErrorMessage>{summary.text}</ErrorMessage>
          ) : summary.tone === 'success' ? (
            <SuccessMessage>{summary.text}</SuccessMessage>
          ) : (
            <StatusMessage>{summary.text}</StatusMessage>
          )}
        </div>
        <button type="submit" className="button-block">
          Continue
        </button>
      </form>
      <p className="links">
        <button type="button" className="button-link" onClick={onCancel}>
          Cancel
        </button>
      </p>
    </section>
  );
}
