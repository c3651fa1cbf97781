/**
 * A link from a security email that acts only when its button is pressed, never on load (mail
 * scanners open links): the token from ?token=, where it stands, and the action. Used by the
 * lock-account and cancel-email-change pages.
 */
import { useState } from 'react';
import { errorMessage } from '../../errors.ts';
import { useQueryParam } from '../../router.tsx';
import { focusSoon, pageHeading } from './focus.ts';

export type LinkState = { kind: 'ask' } | { kind: 'working' } | { kind: 'done' } | { kind: 'failed'; message: string };

interface LinkAction {
  state: LinkState;
  /** True until the action has answered (the question and its button are shown). */
  asking: boolean;
  /** Runs the action once; a second press while it runs does nothing. */
  act: () => Promise<void>;
}

/**
 * `incomplete` is said when the URL has no token; `describe` words a failure (by default as
 * everywhere else).
 */
export function useLinkAction(action: (token: string) => Promise<unknown>, incomplete: string, describe = errorMessage): LinkAction {
  const token = useQueryParam('token');
  const [state, setState] = useState<LinkState>(() => (token ? { kind: 'ask' } : { kind: 'failed', message: incomplete }));

  const act = async () => {
    if (state.kind !== 'ask') return;
    setState({ kind: 'working' });
    try {
      await action(token);
      setState({ kind: 'done' });
    } catch (failure) {
      setState({ kind: 'failed', message: describe(failure) });
    }
    // The button is gone: start reading again from the heading, which now says what happened.
    focusSoon(pageHeading, true);
  };

  return { state, asking: state.kind === 'ask' || state.kind === 'working', act };
}
