/** What a page that needs an id in its address (?id=…) shows without one, with the way back. */
import { Link } from '../../router.tsx';
import { ErrorMessage } from '../Messages.tsx';

export function NotNamed({ what, back, to }: { what: string; back: string; to: string }) {
  return (
    <ErrorMessage>
      No {what} is named in the address. <Link to={to}>{back}</Link>
    </ErrorMessage>
  );
}
