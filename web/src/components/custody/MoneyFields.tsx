/**
 * The money forms' two kinds of typed value, set up once: an amount (a decimal keyboard) and an
 * address (exactly as typed: no capitals, corrections or spell-check, at most what the API takes),
 * both monospaced so every character can be checked.
 */
import type { ComponentProps } from 'react';
import { TextField } from '../Fields.tsx';

type FieldProps = ComponentProps<typeof TextField>;

/** The longest address the API takes. */
const ADDRESS_MAX = 120;

export function AmountField(props: FieldProps) {
  return <TextField inputMode="decimal" autoComplete="off" spellCheck={false} className="mono" {...props} />;
}

export function AddressField(props: FieldProps) {
  return <TextField autoComplete="off" autoCapitalize="off" autoCorrect="off" spellCheck={false} maxLength={ADDRESS_MAX} className="mono" {...props} />;
}
