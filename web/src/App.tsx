/** The route table: one page per path, everything inside the shared layout. */
import type { ComponentType } from 'react';
import { Layout } from './components/Layout.tsx';
import { AcceptTermsPage } from './pages/AcceptTerms.tsx';
import { AccountLockedPage } from './pages/AccountLocked.tsx';
import { CancelEmailChangePage } from './pages/CancelEmailChange.tsx';
import { CheckEmailPage } from './pages/CheckEmail.tsx';
import { ConfirmDevicePage } from './pages/ConfirmDevice.tsx';
import { ConfirmWithdrawalPage } from './pages/ConfirmWithdrawal.tsx';
import { ConfirmWithdrawalAddressPage } from './pages/ConfirmWithdrawalAddress.tsx';
import { DashboardPage } from './pages/Dashboard.tsx';
import { Enroll2faPage } from './pages/Enroll2fa.tsx';
import { ForgotPasswordPage } from './pages/ForgotPassword.tsx';
import { HomePage } from './pages/Home.tsx';
import { KycPage } from './pages/Kyc.tsx';
import { LockAccountPage } from './pages/LockAccount.tsx';
import { LockedPage } from './pages/Locked.tsx';
import { LoginPage } from './pages/Login.tsx';
import { NotFoundPage } from './pages/NotFound.tsx';
import { OidcInteractionPage } from './pages/OidcInteraction.tsx';
import { RegisterPage } from './pages/Register.tsx';
import { ResetPasswordPage } from './pages/ResetPassword.tsx';
import { SecurityPage } from './pages/Security.tsx';
import { StaffAuditPage } from './pages/staff/AuditLog.tsx';
import { StaffFindUsersPage } from './pages/staff/FindUsers.tsx';
import { StaffKycCasePage } from './pages/staff/KycCase.tsx';
import { StaffKycQueuePage } from './pages/staff/KycQueue.tsx';
import { StaffOutboxPage } from './pages/staff/Outbox.tsx';
import { StaffResetQueuePage } from './pages/staff/ResetQueue.tsx';
import { StaffResetRequestPage } from './pages/staff/ResetRequest.tsx';
import { StaffUserPage } from './pages/staff/UserProfile.tsx';
import { TermsPage } from './pages/Terms.tsx';
import { TwoFactorResetPage } from './pages/TwoFactorReset.tsx';
import { TwoFactorResetCancelPage } from './pages/TwoFactorResetCancel.tsx';
import { TwoFactorResetStatusPage } from './pages/TwoFactorResetStatus.tsx';
import { UnlockPage } from './pages/Unlock.tsx';
import { VerifyEmailPage } from './pages/VerifyEmail.tsx';
import { WalletPage } from './pages/Wallet.tsx';
import { useLocation } from './router.tsx';
import { SessionProvider } from './session.tsx';

export const ROUTES: Record<string, ComponentType> = {
  '/': HomePage,
  '/register': RegisterPage,
  '/check-email': CheckEmailPage,
  '/verify-email': VerifyEmailPage,
  '/login': LoginPage,
  '/enroll-2fa': Enroll2faPage,
  '/terms': TermsPage,
  '/accept-terms': AcceptTermsPage,
  '/forgot-password': ForgotPasswordPage,
  '/reset-password': ResetPasswordPage,
  '/unlock': UnlockPage,
  '/locked': LockedPage,
  '/dashboard': DashboardPage,
  '/security': SecurityPage,
  '/lock-account': LockAccountPage,
  '/account-locked': AccountLockedPage,
  '/email-change/cancel': CancelEmailChangePage,
  '/confirm-device': ConfirmDevicePage,
  '/confirm-withdrawal-address': ConfirmWithdrawalAddressPage,
  '/confirm-withdrawal': ConfirmWithdrawalPage,
  '/wallet': WalletPage,
  '/kyc': KycPage,
  // Lost 2FA: the reset request, its status and its "this wasn't me" link (no sign-in)
  '/2fa-reset': TwoFactorResetPage,
  '/2fa-reset/status': TwoFactorResetStatusPage,
  '/2fa-reset/cancel': TwoFactorResetCancelPage,
  // The staff console (ids in the query: the table is flat)
  '/staff': StaffFindUsersPage,
  '/staff/user': StaffUserPage,
  '/staff/kyc': StaffKycQueuePage,
  '/staff/kyc/case': StaffKycCasePage,
  '/staff/2fa-resets': StaffResetQueuePage,
  '/staff/2fa-resets/request': StaffResetRequestPage,
  '/staff/audit': StaffAuditPage,
  '/staff/outbox': StaffOutboxPage,
};

export function App() {
  const { pathname } = useLocation();
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  // Signing in to another app (OpenID Connect): one page for every interaction id.
  const Route = ROUTES[path] ?? (path.startsWith('/oidc/interaction/') ? OidcInteractionPage : NotFoundPage);
  return (
    <SessionProvider>
      <Layout>
        <Route key={path} />
      </Layout>
    </SessionProvider>
  );
}
