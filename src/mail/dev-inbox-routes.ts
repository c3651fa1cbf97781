/**
 * The dev inbox (development only, when SMTP_URL is not set): /dev/mail lists delivered mail,
 * /dev/mail/:id shows one message, /dev/mail.json serves them to scripts.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { notFound } from '../errors/app-error.ts';
import type { Db } from '../store/database.ts';
import { escapeHtml } from './layout.ts';
import { formatTime } from './templates.ts';

const page = (title: string, body: string) => `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;margin:0 auto;max-width:900px;padding:16px}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:6px;border-bottom:1px solid #ddd}
iframe{width:100%;height:70vh;border:1px solid #ccc}pre{white-space:pre-wrap;background:#f4f4f4;padding:12px}</style></head><body>${body}</body></html>`;

export async function devInboxRoutes(app: FastifyInstance, db: Db): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const list = () => db.selectFrom('dev_mail').selectAll().orderBy('created_at', 'desc').limit(200).execute();

  r.get('/dev/mail.json', { schema: { hide: true } }, async () =>
    (await list()).map((m) => ({ id: m.id, to: m.recipient, subject: m.subject, text: m.text, html: m.html, createdAt: new Date(m.created_at).toISOString() })),
  );

  r.get('/dev/mail', { schema: { hide: true } }, async (_request, reply) => {
    const rows = (await list())
      .map((m) => `<tr><td>${escapeHtml(formatTime(m.created_at))}</td><td>${escapeHtml(m.recipient)}</td><td><a href="/dev/mail/${escapeHtml(m.id)}">${escapeHtml(m.subject)}</a></td></tr>`)
      .join('');
    return reply
      .type('text/html')
      .send(page('Dev inbox', `<h1>Dev inbox</h1><p>Mail Bastion sent while no SMTP_URL is set.</p><table><tr><th>Time</th><th>To</th><th>Subject</th></tr>${rows || '<tr><td colspan="3">No mail yet.</td></tr>'}</table>`));
  });

  r.get('/dev/mail/:id', { schema: { hide: true, params: z.object({ id: z.string().max(64) }) } }, async (request, reply) => {
    const m = await db.selectFrom('dev_mail').selectAll().where('id', '=', request.params.id).executeTakeFirst();
    if (!m) throw notFound('not_found', 'No such message.');
    return reply.type('text/html').send(
      page(
        m.subject,
        `<p><a href="/dev/mail">← Dev inbox</a></p><h1>${escapeHtml(m.subject)}</h1><p>To: ${escapeHtml(m.recipient)}</p>
<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(m.html)}" title="Message"></iframe><h2>Plain text</h2><pre>${escapeHtml(m.text)}</pre>`,
      ),
    );
  });
}
