import { Page } from '../components/Page.tsx';
import { Link } from '../router.tsx';

export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <p>There is no page at this address. Check the link, or start again from the beginning.</p>
      <p className="links">
        <Link to="/">Go to Bastion</Link>
      </p>
    </Page>
  );
}
