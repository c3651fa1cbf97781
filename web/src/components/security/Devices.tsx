/**
 * Known devices: browsers that confirmed a sign-in. A sign-in from any other device needs the
 * emailed confirmation; forgetting a device makes its next sign-in need it again.
 */
import { LoadState } from './LoadState.tsx';
import { useState } from 'react';
import { del } from '../../api.ts';
import { ErrorMessage, SuccessMessage } from '../Messages.tsx';
import type { DeviceInfo, DeviceList } from '../../../../src/contracts/security-center.ts';
import { useListAction } from './useListAction.ts';
import { useSecurityData } from './useSecurityData.ts';
import { When } from './When.tsx';
import { Fact } from './Fact.tsx';

export function Devices({ refreshKey, onChanged }: { refreshKey: number; onChanged: () => void }) {
  const { data, error, reload } = useSecurityData<DeviceList>('/api/me/devices', refreshKey);
  const { busy, actionError, done, heading, act } = useListAction(onChanged);
  /** Devices forgotten here, hidden at once (the list then loads again). */
  const [forgotten, setForgotten] = useState<ReadonlySet<string>>(new Set());

  const forget = (device: DeviceInfo) =>
    act(device.id, async () => {
      await del(`/api/me/devices/${encodeURIComponent(device.id)}`);
      setForgotten((all) => new Set([...all, device.id]));
      return device.current
        ? 'This device is forgotten. The next time you sign in here, we will ask you to confirm it by email.'
        : `${device.device} is forgotten. Its next sign-in will need confirming by email.`;
    });

  const devices = (data?.devices ?? []).filter((d) => !forgotten.has(d.id));

  return (
    <section className="panel" aria-labelledby="devices-heading">
      <h2 id="devices-heading" ref={heading} tabIndex={-1}>
        Known devices
      </h2>
      <p className="muted small">Sign-ins from these browsers do not need confirming by email. Sign-ins from any other device do.</p>
      <LoadState what="devices" loaded={data !== null} error={error} onRetry={reload} />
      <SuccessMessage>{done}</SuccessMessage>
      <ErrorMessage>{actionError}</ErrorMessage>
      {data && devices.length === 0 ? <p>No known devices. Your next sign-in from any device will need confirming by email.</p> : null}
      {devices.length > 0 ? (
        <ul className="sc-list" data-testid="devices">
          {devices.map((device) => (
            <li key={device.id} className="sc-item" data-testid="device">
              <div className="sc-item-head">
                <strong className="wrap">{device.device}</strong>
                {device.current ? <span className="badge badge-current">This device</span> : null}
              </div>
              <dl className="sc-facts">
                {device.location ? (
                  <Fact label="Location" className="wrap">{device.location}</Fact>
                ) : null}
                <Fact label="Last seen"><When iso={device.lastSeenAt} /></Fact>
                <Fact label="First seen"><When iso={device.firstSeenAt} /></Fact>
              </dl>
              <button type="button" className="button-secondary button-small" onClick={() => void forget(device)} aria-disabled={busy !== null ? true : undefined}>
                {busy === device.id ? 'Forgetting…' : 'Forget'}
                <span className="visually-hidden"> {device.current ? 'this device' : device.device}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
