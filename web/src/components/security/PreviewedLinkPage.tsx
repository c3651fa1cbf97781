/**
 * The page of a link that shows what it would do before its button is pressed (the device that is
 * signing in, the lock it lifts): the preview is read first (a request that leaves the link usable),
 * then LinkActionPage asks with it. Opening the link does nothing else, so a mail scanner or a link
 * preview that runs scripts confirms or lifts nothing. A link the preview refuses says why, with no
 * button.
 */
import { useState, type ComponentProps, type ReactNode } from 'react';
import { errorMessage } from '../../errors.ts';
import { useOnce } from '../../hooks.ts';
import { useQueryParam } from '../../router.tsx';
import { StatusMessage } from '../Messages.tsx';
import { Page } from '../Page.tsx';
import { LinkActionPage, LinkFailed } from './LinkPage.tsx';

type PreviewState<T> = { kind: 'loading' } | { kind: 'ready'; preview: T } | { kind: 'failed'; message: string };

type Props<T> = Omit<ComponentProps<typeof LinkActionPage>, 'question'> & {
  /** Reads what the link would do, without using it up. */
  load: (token: string) => Promise<T>;
  /** What the page says above its button, from the preview. */
  question: (preview: T) => ReactNode;
  /** Said while the preview loads. */
  loading: string;
};

export function PreviewedLinkActionPage<T>({ load, question, loading, ...page }: Props<T>) {
  const token = useQueryParam('token');
  const [state, setState] = useState<PreviewState<T>>({ kind: 'loading' });

  useOnce(() => {
    if (!token) return;
    load(token).then(
      (preview) => setState({ kind: 'ready', preview }),
      (failure: unknown) => setState({ kind: 'failed', message: errorMessage(failure) }),
    );
  });

  // No token: LinkActionPage says the link is incomplete.
  if (page.link.state.kind === 'ask' && state.kind !== 'ready') {
    if (state.kind === 'failed') {
      return (
        <Page title={page.titles.failed}>
          <LinkFailed message={state.message}>{page.advice}</LinkFailed>
        </Page>
      );
    }
    return (
      <Page title={page.titles.ask}>
        <StatusMessage>{loading}</StatusMessage>
      </Page>
    );
  }
  return <LinkActionPage {...page} question={state.kind === 'ready' ? question(state.preview) : null} />;
}
