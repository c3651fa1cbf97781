/** The state of a factor choice: the method chosen, the code typed for it, and the proof they make. */
import { useCallback, useState } from 'react';
import { enteredCode, prove, type Factor, type PasskeyOptions, type Proof } from './factors.ts';

export interface FactorChoice<M extends Factor> {
  method: M;
  /** The code as typed, and as the server takes it. */
  code: string;
  entered: string;
  setCode: (code: string) => void;
  /** Chooses a method; a code typed for the one before is cleared. */
  choose: (method: M) => void;
  /** The proof for the chosen method (or for `method`, where every method shows at once). */
  prove: (passkey: PasskeyOptions, method?: M) => Promise<Proof<M>>;
}

export function useFactor<M extends Factor>(initial: M): FactorChoice<M> {
  const [method, setMethod] = useState<M>(initial);
  const [code, setCode] = useState('');

  const choose = useCallback((next: M) => {
    setMethod(next);
    setCode('');
  }, []);

  return {
    method,
    code,
    entered: enteredCode(method, code),
    setCode,
    choose,
    prove: (passkey, which = method) => prove(which, code, passkey),
  };
}
