/**
 * The few pages the provider renders itself (RP-initiated logout, its confirmation, and errors shown
 * to a browser): plain, self-contained HTML in Bastion's name, no outside fonts or scripts.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font:inherit;padding:.6rem 1rem;margin:.25rem .5rem .25rem 0}</style></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

export async function logoutPage(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  const app = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId;
  ctx.type = 'html';
  ctx.body = page('Sign out?', `${form}<p>${app ? `${escape(app)} asks to sign you out.` : 'Sign out of the apps you signed in to with this account?'}</p>
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button><button type="submit" form="op.logoutForm">No, stay signed in</button>`);
}

export async function loggedOutPage(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = 'html';
  ctx.body = page('Signed out', '<p>You are signed out. You can close this page.</p>');
}

export async function renderErrorPage(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): Promise<void> {
  ctx.type = 'html';
  ctx.body = page('Sign-in could not continue', `<p>${escape(out.error_description ?? out.error)}</p><p>Go back to the app and try again.</p>`);
}
