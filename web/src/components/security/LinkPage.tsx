/**
 * The pages a link from an email opens: how a failed link is said (the error, what to do instead,
 * the way to sign in), and the page of a link that acts only once its button is pressed
 * (useLinkAction): the question and the button, what was done, or why not.
 */
import type { ReactNode } from 'react';
import { Link } from '../../router.tsx';
import { ErrorMessage } from '../Messages.tsx';
import { Page } from '../Page.tsx';
import type { LinkAction } from './useLinkAction.ts';

/** A link that did not work: why, `children` (what to do instead), and the way to sign in. */
export function LinkFailed({ message, children }: { message: string; children: ReactNode }) {
  return (
    <>
      <ErrorMessage>{message}</ErrorMessage>
      {children}
      <p className="links">
        <Link to="/login">Sign in</Link>
      </p>
    </>
  );
}

interface LinkActionPageProps {
  link: LinkAction;
  /** The page's title while it asks, once done, and when it failed. */
  titles: { ask: string; done: string; failed: string };
  /** What the page says above its button. */
  question: ReactNode;
  /** The (danger) button, and what it says while the action runs. */
  button: string;
  working: string;
  /** Under the button. */
  afterButton?: ReactNode;
  /** What the page says once the action is done. */
  done: ReactNode;
  /** What to do instead, when it failed. */
  advice: ReactNode;
}

export function LinkActionPage({ link, titles, question, button, working, afterButton, done, advice }: LinkActionPageProps) {
  const { state, asking, act } = link;
  const title = state.kind === 'done' ? titles.done : state.kind === 'failed' ? titles.failed : titles.ask;

  return (
    <Page title={title}>
      {asking ? (
        <>
          {question}
          <button type="button" className="button-danger button-block" onClick={() => void act()} aria-disabled={state.kind === 'working' ? true : undefined}>
            {state.kind === 'working' ? working : button}
          </button>
          {afterButton}
        </>
      ) : null}
      {state.kind === 'done' ? done : null}
      {state.kind === 'failed' ? <LinkFailed message={state.message}>{advice}</LinkFailed> : null}
    </Page>
  );
}
