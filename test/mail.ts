/** Finding the mail a test expects among what the in-process SMTP server received. */
import type { TestApp } from './harness.ts';
import type { ReceivedMail } from './smtp.ts';

/** Every mail to `email` with exactly this subject, oldest first. */
export async function mailsWithSubject(t: TestApp, email: string, subject: string): Promise<ReceivedMail[]> {
  return (await t.mailTo(email)).filter((m) => m.subject === subject);
}

/** The latest mail to `email` with this subject (fails, listing what came, when there is none). */
export async function lastMail(t: TestApp, email: string, subject: string): Promise<ReceivedMail> {
  const mail = (await mailsWithSubject(t, email, subject)).at(-1);
  if (!mail) throw new Error(`no "${subject}" mail to ${email}; got: ${(await t.mailTo(email)).map((m) => m.subject).join(' | ')}`);
  return mail;
}
