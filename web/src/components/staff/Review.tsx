/**
 * The frame of a staff review page (a KYC case, a 2FA reset request): the item named by ?id=
 * loaded, and its decision section — what became of it once decided, else the form for whoever may
 * decide (nobody on their own account's). After a decision the item loads again and focus moves to
 * the section's heading, under which the outcome is said.
 */
import { useState, type ReactNode } from 'react';
import { useQueryParam } from '../../router.tsx';
import { StatusMessage, SuccessMessage } from '../Messages.tsx';
import { useFocusRequest } from '../security/focus.ts';
import { LoadState } from '../security/LoadState.tsx';
import { When } from '../security/When.tsx';
import { NotNamed } from './NotNamed.tsx';
import { StaffMember } from './UserSummary.tsx';
import { useStaffData } from './useStaffData.ts';

interface ReviewedProps<T> {
  /** What the page reviews, as its messages name it ("case", "request"). */
  what: string;
  /** The queue the item comes from, for the way back when no id is named. */
  queue: string;
  /** The item's GET path. */
  api: (id: string) => string;
  children: (detail: T, reload: () => void) => ReactNode;
}

/** The item named by ?id=, once loaded; until then what is wrong or that it is loading. */
export function Reviewed<T>({ what, queue, api, children }: ReviewedProps<T>) {
  const id = useQueryParam('id');
  const { data: detail, error, reload } = useStaffData<T>(id ? api(id) : null);

  if (!id) {
    return <NotNamed what={what} back="Open the queue" to={queue} />;
  }
  if (!detail) return <LoadState what={`the ${what}`} loaded={false} error={error} onRetry={reload} />;
  return children(detail, reload);
}

interface DecisionSectionProps {
  /** What became of the item once decided (DecisionOutcome); null while it waits for a decision. */
  outcome: ReactNode;
  /** The item is about the staff member's own account, and what they are told instead of the form. */
  own: boolean;
  ownWords: string;
  /** Whether the staff member's role may decide, and what they are told when it may not. */
  mayDecide: boolean;
  cannotWords: string;
  /** Loads the item again once decided. */
  reload: () => void;
  form: (onDecided: (message: string) => void) => ReactNode;
}

export function DecisionSection({ outcome, own, ownWords, mayDecide, cannotWords, reload, form }: DecisionSectionProps) {
  const [done, setDone] = useState('');
  const [heading, focusHeading] = useFocusRequest<HTMLHeadingElement>();

  const decided = (message: string) => {
    setDone(message);
    reload();
    focusHeading();
  };

  return (
    <section className="panel panel-full" aria-labelledby="decision-heading">
      <h2 id="decision-heading" ref={heading} tabIndex={-1}>
        Decision
      </h2>
      <SuccessMessage>{done}</SuccessMessage>
      {outcome ? outcome : own ? <StatusMessage>{ownWords}</StatusMessage> : mayDecide ? form(decided) : <p className="muted">{cannotWords}</p>}
    </section>
  );
}

interface DecisionOutcomeProps {
  testId: string;
  /** The item's state, in words. */
  label: string;
  decidedAt: string | null;
  reviewedBy: string | null;
  /** More about the outcome, under its line. */
  children?: ReactNode;
}

/** "Outcome: Approved · when · by whom". */
export function DecisionOutcome({ testId, label, decidedAt, reviewedBy, children }: DecisionOutcomeProps) {
  return (
    <div data-testid={testId}>
      <p>
        Outcome: <strong>{label}</strong>
        {decidedAt ? (
          <>
            {' '}
            · <When iso={decidedAt} />
          </>
        ) : null}
        {reviewedBy ? (
          <>
            {' '}
            · by <StaffMember id={reviewedBy} />
          </>
        ) : null}
      </p>
      {children}
    </div>
  );
}
