/** Freshly issued backup codes, shown once: a list, "Copy all" and "Download". */
import { useEffect, useRef, useState } from 'react';
import { copyText, downloadText } from '../clipboard.ts';
import { ErrorMessage, StatusMessage } from './Messages.tsx';

export const BACKUP_CODES_FILE = 'bastion-backup-codes.txt';

export function BackupCodes({ codes, email }: { codes: string[]; email?: string }) {
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const heading = useRef<HTMLHeadingElement>(null);

  // The codes replace the form that was just submitted: start reading (and tabbing) here.
  useEffect(() => heading.current?.focus(), []);

  const copyAll = async () => {
    setCopyState((await copyText(codes.join('\n'))) ? 'copied' : 'failed');
  };

  const download = () => {
    const lines = [
      'Bastion backup codes',
      ...(email ? [`Account: ${email}`] : []),
      `Created: ${new Date().toLocaleString()}`,
      'Each code works once. Keep them somewhere safe and private.',
      '',
      ...codes,
      '',
    ];
    downloadText(BACKUP_CODES_FILE, lines.join('\n'));
  };

  return (
    <section className="backup-codes">
      <h2 ref={heading} tabIndex={-1}>
        Save your backup codes
      </h2>
      <p>
        If you lose your phone, each of these codes lets you sign in once. <strong>This is the only time they are shown.</strong> Store them
        somewhere safe, such as a password manager.
      </p>
      <ul className="code-list">
        {codes.map((code) => (
          <li key={code} data-testid="backup-code" className="mono">
            {code}
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" className="button-secondary" onClick={copyAll}>
          Copy all
        </button>
        <button type="button" className="button-secondary" onClick={download}>
          Download
        </button>
      </div>
      {copyState === 'copied' ? <StatusMessage>Backup codes copied.</StatusMessage> : null}
      {copyState === 'failed' ? <ErrorMessage>Copying did not work here. Select the codes and copy them, or download them.</ErrorMessage> : null}
    </section>
  );
}
