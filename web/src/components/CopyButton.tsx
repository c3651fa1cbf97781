/** "Copy …" with a short spoken confirmation (role="status") next to it (the wallet's addresses, deposit addresses). */
import { useEffect, useState } from 'react';
import { copyText } from '../clipboard.ts';

export function CopyButton({ text, label, className = 'button-secondary button-small' }: { text: string; label: string; className?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 4000);
    return () => window.clearTimeout(timer);
  }, [state]);
  return (
    <span className="copy">
      <button type="button" className={className} onClick={async () => setState((await copyText(text)) ? 'copied' : 'failed')}>
        {label}
      </button>
      <span role="status" className={state === 'failed' ? 'copy-status copy-failed' : 'copy-status'}>
        {state === 'copied' ? 'Copied.' : state === 'failed' ? 'Copying did not work here. Select the text and copy it.' : ''}
      </span>
    </span>
  );
}
