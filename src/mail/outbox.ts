/**
 * `mail.send(tx, template, to, data)`: renders the email and writes it to the outbox in the caller's
 * transaction. Nothing is sent here: if the transaction rolls back, the email never existed. The
 * worker (worker.ts) delivers what committed. Bodies are sealed at rest (they carry one-time links)
 * and cleared once delivered; the row and its delivery status remain.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Keyring } from '../crypto/encryption.ts';
import type { Tx } from '../store/database.ts';
import { render, type Rendered } from './layout.ts';
import { templates, type TemplateData, type TemplateName } from './templates.ts';

/** Finds the recipient's anti-phishing code (null when none); the security center provides it. */
export type AntiPhishingLookup = (tx: Tx, email: string) => Promise<string | null>;

export interface Mail {
  send<T extends TemplateName>(tx: Tx, template: T, to: string, data: TemplateData<T>): Promise<void>;
  renderFor<T extends TemplateName>(template: T, data: TemplateData<T>, antiPhishingCode: string | null): Rendered;
}

export const bodyContext = (id: string) => `outbox:${id}`;

export function createMail(deps: {
  clock: Clock;
  keyring: Keyring;
  appName: string;
  baseUrl: string;
  antiPhishingCode?: AntiPhishingLookup;
}): Mail {
  const renderFor: Mail['renderFor'] = (template, data, antiPhishingCode) => {
    const content = (templates[template] as (d: typeof data) => ReturnType<(typeof templates)[typeof template]>)(data);
    return render({ appName: deps.appName, baseUrl: deps.baseUrl, antiPhishingCode }, content);
  };
  return {
    renderFor,
    async send(tx, template, to, data) {
      const code = deps.antiPhishingCode ? await deps.antiPhishingCode(tx, to) : null;
      const message = renderFor(template, data, code);
      const id = randomUUID();
      const now = deps.clock.now();
      await tx
        .insertInto('outbox')
        .values({
          id,
          template,
          recipient: to,
          subject: message.subject,
          body_sealed: deps.keyring.seal(JSON.stringify({ html: message.html, text: message.text }), bodyContext(id)),
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          claimed_until: null,
          last_error: null,
          created_at: now,
          sent_at: null,
        })
        .execute();
    },
  };
}
