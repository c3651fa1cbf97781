/** The built-in terms of service page: a placeholder for development (production sets TERMS_URL). */
import { useAppInfo } from '../app-info.ts';
import { Page } from '../components/Page.tsx';

export function TermsPage() {
  const info = useAppInfo();
  return (
    <Page title="Terms of service">
      {info && !info.terms.placeholder ? (
        <p>
          The terms of service are at <a href={info.terms.url}>{info.terms.url}</a>.
        </p>
      ) : (
        <>
          <p data-testid="terms-placeholder">
            This is a placeholder: this installation runs without its own terms of service. The operator sets TERMS_URL to the real ones (production requires it).
          </p>
          <p>
            Version <strong data-testid="terms-version">{info?.terms.version ?? '…'}</strong>
          </p>
        </>
      )}
    </Page>
  );
}
