/**
 * Where a finished sign-in goes: the dashboard, or back to the app sign-in (an OpenID Connect
 * interaction page) that sent the user to sign in first, also when the sign-in went through new
 * terms of service or a first second factor on the way. Only this app's own interaction paths are
 * kept (never an address from outside), in this tab's session storage.
 */
const KEY = 'bastion.returnTo';
const INTERACTION = /^\/oidc\/interaction\/[A-Za-z0-9_-]+$/;

export function returnHereAfterSignIn(path: string): void {
  if (INTERACTION.test(path)) sessionStorage.setItem(KEY, path);
}

/** The page to go to once signed in (the saved interaction once, else the dashboard). */
export function afterSignIn(): string {
  const saved = sessionStorage.getItem(KEY);
  sessionStorage.removeItem(KEY);
  return saved && INTERACTION.test(saved) ? saved : '/dashboard';
}
