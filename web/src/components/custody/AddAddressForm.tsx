/**
 * "Add an address" (POST /api/withdrawal-addresses): the asset (its network follows), a label and
 * the address. It needs a fresh strong step-up (asked for when the server wants it, then sent
 * again), and it is added only once the emailed link is opened; it is usable a waiting period later.
 */
import { useCallback, useRef, useState, type FormEvent } from 'react';
import { isApiError, post } from '../../api.ts';
import { SelectField, SubmitButton, TextField } from '../Fields.tsx';
import { useFocusRequest } from '../security/focus.ts';
import { useFailureHandler } from '../security/useSecurityData.ts';
import { useStepUp } from '../StepUp.tsx';
import { networkName } from './format.ts';
import { AddressField } from './MoneyFields.tsx';
import type { AddAddressBody, AddressEntry, AssetBalance, WithdrawalNetwork } from './types.ts';
import { DoneMessage, useFormProblem } from './FormMessages.tsx';

/** The most the server keeps of a label. */
const LABEL_MAX = 60;

type Field = 'label' | 'address';

export function AddAddressForm({ assets, onAdded }: { assets: readonly AssetBalance[]; onAdded: () => void }) {
  const describe = useFailureHandler();
  const [chosen, setChosen] = useState('');
  const [label, setLabel] = useState('');
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<AddressEntry | null>(null);
  const labelInput = useRef<HTMLInputElement>(null);
  const addressInput = useRef<HTMLInputElement>(null);
  const [addedBox, focusAdded] = useFocusRequest<HTMLDivElement>();
  const asset = assets.find((a) => a.symbol === chosen) ?? assets[0];
  const problem = useFormProblem<Field>((field) => (field === 'label' ? labelInput : addressInput).current);
  const { show } = problem;

  const stepUp = useStepUp(
    useCallback(
      (failure: unknown) => {
        const message = describe(failure);
        if (message) show(isApiError(failure, 'invalid_address') || isApiError(failure, 'address_exists') ? 'address' : null, message);
      },
      [describe, show],
    ),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy || !asset) return;
    setAdded(null);
    const body = { asset: asset.symbol, network: asset.network as WithdrawalNetwork, label: label.trim(), address: address.trim() } satisfies AddAddressBody;
    if (!body.label) return show('label', 'Enter a label, such as “Cold wallet”, to tell this address from others.');
    if (!body.address) return show('address', `Enter the ${networkName(asset.network)} address to add.`);
    show(null, '');
    void stepUp.run(async () => {
      setBusy(true);
      try {
        const entry = await post<AddressEntry>('/api/withdrawal-addresses', body);
        setAdded(entry);
        setLabel('');
        setAddress('');
        focusAdded();
        onAdded();
      } finally {
        setBusy(false);
      }
    });
  };

  if (!asset) return null;
  return (
    <div className="add-address">
      <h3>Add an address</h3>
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <SelectField
          label="Asset to withdraw"
          value={asset.symbol}
          choices={assets.map((a) => ({ value: a.symbol, label: `${a.symbol} · ${networkName(a.network)} network` }))}
          onValueChange={(symbol) => {
            setChosen(symbol);
            problem.clear();
          }}
        />
        <TextField
          label="Label"
          hint="A name for you, such as “Cold wallet”."
          value={label}
          onValueChange={setLabel}
          inputRef={labelInput}
          maxLength={LABEL_MAX}
          autoComplete="off"
          errorId={problem.errorIdFor('label')}
        />
        {problem.messageFor('label')}
        <AddressField
          label="Address"
          hint={`A ${networkName(asset.network)} address. Check every character: funds sent to a wrong address cannot be called back.`}
          value={address}
          onValueChange={setAddress}
          inputRef={addressInput}
          errorId={problem.errorIdFor('address')}
        />
        {problem.messageFor('address')}
        <SubmitButton busy={busy} label="Add address" busyLabel="Adding…" disabled={stepUp.asking} />
      </form>
      {stepUp.prompt}
      {problem.messageFor(null)}
      {added ? (
        <DoneMessage boxRef={addedBox} testId="address-added">
          We emailed you a link to confirm “{added.label}” ({added.asset}). Open it to add the address to your book: withdrawals can go to it a waiting period
          after that.
        </DoneMessage>
      ) : null}
    </div>
  );
}
