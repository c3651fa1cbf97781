/**
 * A link from a security email that acts only when its button is pressed, never on load (mail
 * scanners open links): the token from ?token=, where it stands, and the action. Used by the
 * lock-account page and the "this wasn't me" pages (useCancelLink: cancel the email change or the
 * 2FA reset request, and lock the account).
 */
import { useState } from 'react';
import { isApiError } from '../../api.ts';
import { errorMessage } from '../../errors.ts';
import { useQueryParam } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { focusSoon, pageHeading } from './focus.ts';

export type LinkState = { kind: 'ask' } | { kind: 'working' } | { kind: 'done' } | { kind: 'failed'; message: string };

export interface LinkAction {
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

const describeCancel = (failure: unknown) =>
  isApiError(failure, 'invalid_token') ? 'This link has expired or was used already, so nothing was changed.' : errorMessage(failure);

/**
 * A "cancel — this wasn't me" link: `send` cancels with the token and locks the account, `onAnswer`
 * takes what the server says was undone; then this browser's session is gone too (the lock ended
 * every session).
 */
export function useCancelLink<Answer>(send: (token: string) => Promise<Answer>, onAnswer: (answer: Answer) => void): LinkAction {
  const { clear } = useSession();
  return useLinkAction(
    async (token) => {
      onAnswer(await send(token));
      clear();
    },
    'This link is incomplete. Open the link from the email again.',
    describeCancel,
  );
}
