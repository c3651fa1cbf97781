/**
 * The one email layout. Templates describe their content as blocks; this file turns blocks into
 * both HTML (every value escaped) and plain text, and frames them with the anti-phishing slot at
 * the top of every message: the user's code once set, otherwise a one-line hint on setting one.
 */
export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'code'; label: string; code: string }
  | { kind: 'button'; label: string; url: string }
  | { kind: 'details'; rows: [string, string][] }
  | { kind: 'note'; text: string };

export interface MailContent {
  subject: string;
  heading: string;
  blocks: Block[];
  /** Security alerts carry a one-click "lock my account" link (single-use, no sign-in needed). */
  lockUrl?: string;
}

export interface Rendered {
  subject: string;
  html: string;
  text: string;
}

export interface LayoutContext {
  appName: string;
  baseUrl: string;
  /** The recipient's anti-phishing code, or null when none is set (or the recipient has no account). */
  antiPhishingCode: string | null;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Only http(s) links are ever rendered as links. */
function safeUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '#';
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p style="margin:0 0 16px;line-height:1.5">${escapeHtml(block.text)}</p>`;
    case 'note':
      return `<p style="margin:0 0 16px;line-height:1.5;color:#555;font-size:13px">${escapeHtml(block.text)}</p>`;
    case 'code':
      return `<p style="margin:0 0 4px;color:#555">${escapeHtml(block.label)}</p><p style="margin:0 0 16px;font-size:28px;letter-spacing:6px;font-weight:bold;font-family:monospace">${escapeHtml(block.code)}</p>`;
    case 'button':
      return `<p style="margin:0 0 16px"><a href="${escapeHtml(safeUrl(block.url))}" style="display:inline-block;padding:12px 20px;background:#1a56db;color:#fff;text-decoration:none;border-radius:6px">${escapeHtml(block.label)}</a></p><p style="margin:0 0 16px;font-size:12px;color:#555;word-break:break-all">${escapeHtml(block.url)}</p>`;
    case 'details':
      return `<table style="margin:0 0 16px;border-collapse:collapse">${block.rows
        .map(([k, v]) => `<tr><td style="padding:2px 12px 2px 0;color:#555">${escapeHtml(k)}</td><td style="padding:2px 0">${escapeHtml(v)}</td></tr>`)
        .join('')}</table>`;
  }
}

function blockText(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
    case 'note':
      return block.text;
    case 'code':
      return `${block.label}\n\n    ${block.code}`;
    case 'button':
      return `${block.label}:\n${block.url}`;
    case 'details':
      return block.rows.map(([k, v]) => `${k}: ${v}`).join('\n');
  }
}

export function antiPhishingLine(ctx: LayoutContext): string {
  return ctx.antiPhishingCode
    ? `Anti-phishing code: ${ctx.antiPhishingCode}`
    : `Tip: set an anti-phishing code in your ${ctx.appName} security settings; it will appear here in every genuine email from us.`;
}

export function render(ctx: LayoutContext, content: MailContent): Rendered {
  const slot = antiPhishingLine(ctx);
  const subject = `${ctx.appName}: ${content.subject}`;
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:-apple-system,Segoe UI,Roboto,sans-serif;color:#111">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">
<p data-slot="anti-phishing" style="margin:0 0 20px;padding:8px 12px;background:#eef2ff;border-radius:4px;font-size:13px">${escapeHtml(slot)}</p>
<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(content.heading)}</h1>
${content.blocks.map(blockHtml).join('\n')}
${content.lockUrl ? `<hr style="border:none;border-top:1px solid #ddd;margin:20px 0"><p style="margin:0 0 8px;font-weight:bold">Wasn't you? Lock your account now.</p><p style="margin:0 0 12px;font-size:13px;color:#555">One click ends every session and blocks sign-ins, withdrawals and security changes. No sign-in needed.</p>${blockHtml({ kind: 'button', label: 'Lock my account', url: content.lockUrl })}` : ''}
<p style="margin:24px 0 0;font-size:12px;color:#777">${escapeHtml(ctx.appName)} · ${escapeHtml(ctx.baseUrl)} · We never ask for your password, 2FA codes or recovery phrase.</p>
</div></body></html>`;
  const text = [
    slot,
    '',
    content.heading,
    '',
    ...content.blocks.map((b) => `${blockText(b)}\n`),
    ...(content.lockUrl ? [`Wasn't you? Lock your account now (ends every session, blocks sign-ins, withdrawals and security changes; no sign-in needed):\n${content.lockUrl}\n`] : []),
    '--',
    `${ctx.appName} · ${ctx.baseUrl} · We never ask for your password, 2FA codes or recovery phrase.`,
  ].join('\n');
  return { subject, html, text };
}
