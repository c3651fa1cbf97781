/**
 * Reviewing a case: a resubmission of only the items asked for, the duplicate-document flag,
 * approval and rejection (final) as the user sees them, no decision on one's own case, and erasing
 * documents by crypto-shredding (on request, and after the retention period).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { enrolledUser, type Enrolled } from '../../../test/accounts.ts';
import { dialects, testApps, type TestApp } from '../../../test/harness.ts';
import { DETAILS, kycForm, pendingCaseOf, photo, staffMember, submitKyc, type StaffMember } from '../../../test/kyc.ts';
import { auditOf, db, userRow } from '../../../test/queries.ts';
import { DAY } from '../../../test/time.ts';
import { sweepKycRetention } from './erasure.ts';

const decide = (staff: StaffMember, caseId: string, body: Record<string, unknown>) => staff.session.post(`/api/staff/kyc/${caseId}/decision`, body);

async function submitted(t: TestApp, staff: StaffMember, details: Partial<Record<keyof typeof DETAILS, string>> = {}): Promise<{ user: Enrolled; userId: string; caseId: string }> {
  const user = await enrolledUser(t);
  expect((await submitKyc(user.client, details)).status).toBe(200);
  const userId = (await userRow(t, user.email)).id;
  return { user, userId, caseId: await pendingCaseOf(t, staff, userId) };
}

describe.each(dialects)('identity verification: review on %s', (dialect) => {
  const app = testApps(dialect);

  it('asks for a new selfie only; the user re-sends only that; the old selfie is shredded; then approval makes the account verified', async () => {
    const t = await app();
    const staff = await staffMember(t, 'support');
    const { user, userId, caseId } = await submitted(t, staff);
    const ask = await decide(staff, caseId, { decision: 'resubmit', reason: 'Your face is not fully visible.', items: ['selfie'] });
    expect(ask.status, JSON.stringify(ask.body)).toBe(200);
    expect(ask.body.status).toBe('resubmission_requested');
    const status = (await user.client.get('/api/kyc')).body;
    expect(status).toMatchObject({ status: 'resubmission_requested', canResubmit: true, submission: { requestedItems: ['selfie'], message: 'Your face is not fully visible.' } });
    expect((await t.latestMail(user.email)).text).toContain('Your face is not fully visible.');

    const before = await db(t).selectFrom('kyc_files').selectAll().where('case_id', '=', caseId).execute();
    const notAsked = await user.client.upload('/api/kyc/resubmit', kycForm({}, { selfie: await photo(), documentFront: await photo() }));
    expect(notAsked).toMatchObject({ status: 400, body: { error: 'kyc_no_resubmission', field: 'documentFront' } });
    const details = await user.client.upload('/api/kyc/resubmit', kycForm({ legalName: 'Someone Else' }, { selfie: await photo() }));
    expect(details.body.error).toBe('kyc_no_resubmission');
    const resent = await user.client.upload('/api/kyc/resubmit', kycForm({}, { selfie: await photo({ width: 1000, height: 1000 }) }));
    expect(resent.status, JSON.stringify(resent.body)).toBe(200);
    expect(resent.body.status).toBe('pending');

    const after = await db(t).selectFrom('kyc_files').selectAll().where('case_id', '=', caseId).execute();
    const oldSelfie = after.find((f) => f.id === before.find((b) => b.item === 'selfie')!.id)!;
    expect(oldSelfie).toMatchObject({ key_sealed: null });
    expect(oldSelfie.superseded_at).not.toBeNull();
    for (const kept of before.filter((b) => b.item !== 'selfie')) expect(after.find((f) => f.id === kept.id)).toMatchObject({ key_sealed: kept.key_sealed, superseded_at: null });
    const detail = (await staff.session.get(`/api/staff/kyc/${caseId}`)).body;
    expect(detail.files.find((f: { item: string }) => f.item === 'selfie')).toMatchObject({ width: 1000, height: 1000 });
    expect((await auditOf(t, 'kyc.resubmitted')).at(-1)).toMatchObject({ actor_kind: 'user', actor_id: userId, user_id: userId });

    const approve = await decide(staff, caseId, { decision: 'approve', reason: 'Document and selfie match.' });
    expect(approve.body.status).toBe('verified');
    expect((await user.client.get('/api/me')).body.security).toMatchObject({ kycStatus: 'verified', kycLevel: 1 });
    expect((await t.latestMail(user.email)).subject).toBe('Bastion: Your identity is verified');
    expect((await auditOf(t, 'kyc.approved')).at(-1)).toMatchObject({ actor_kind: 'staff', actor_id: staff.id, user_id: userId });
    expect((await decide(staff, caseId, { decision: 'reject', reason: 'Changed my mind' })).body.error).toBe('kyc_case_closed');
    // The owner's security history tells the story.
    const history = (await user.client.get('/api/me/security-events')).body.events.map((e: { description: string }) => e.description);
    expect(history.slice(0, 4)).toEqual(['Identity verified', 'Identity documents sent again', 'Asked to send identity documents again', 'Identity documents sent for verification']);
  });

  it('flags the same document on two accounts sent at the same time, on both, and after the first one’s documents were erased', async () => {
    const t = await app();
    const admin = await staffMember(t, 'admin');
    const [a, b] = await Promise.all([submitted(t, admin), submitted(t, admin)]);
    const queue = (await admin.session.get('/api/staff/kyc?status=pending')).body.cases as { id: string; duplicateOf: { userId: string }[] }[];
    expect(queue.find((c) => c.id === a.caseId)!.duplicateOf.map((d) => d.userId)).toEqual([b.userId]);
    expect(queue.find((c) => c.id === b.caseId)!.duplicateOf.map((d) => d.userId)).toEqual([a.userId]);
    expect((await decide(admin, a.caseId, { decision: 'approve', reason: 'Looks right.' })).status).toBe(200);
    expect((await admin.session.post(`/api/staff/users/${b.userId}/kyc/erase`, { reason: 'Asked to' })).body.error).toBe('kyc_in_progress');
    expect((await admin.session.post(`/api/staff/users/${a.userId}/kyc/erase`, { reason: 'The applicant asked for erasure.' })).status).toBe(200);
    expect((await admin.session.get(`/api/staff/kyc/${b.caseId}`)).body.duplicateOf).toEqual([{ userId: a.userId, email: a.user.email }]);
    expect((await admin.session.post(`/api/staff/users/${admin.id}/kyc/erase`, { reason: 'Mine' })).body.error).toBe('staff_own_account');
  });

  it('flags a document already verified on another account, for the reviewer', async () => {
    const t = await app();
    const staff = await staffMember(t, 'support');
    const first = await submitted(t, staff);
    expect((await decide(staff, first.caseId, { decision: 'approve', reason: 'Looks right.' })).status).toBe(200);
    const second = await submitted(t, staff, { documentNumber: 'ab-1234 567', legalName: 'Another Name' });
    const queue = (await staff.session.get('/api/staff/kyc?status=pending')).body.cases;
    expect(queue.find((c: { id: string }) => c.id === second.caseId).duplicateOf).toEqual([{ userId: first.userId, email: first.user.email }]);
    const other = await submitted(t, staff, { documentNumber: 'AB1234567', issuingCountry: 'IE' });
    expect((await staff.session.get(`/api/staff/kyc/${other.caseId}`)).body.duplicateOf).toEqual([]);
    // Staff find both accounts by the document number.
    const found = (await staff.session.get('/api/staff/users?query=AB1234567')).body.users.map((u: { id: string }) => u.id).sort();
    expect(found).toEqual([first.userId, second.userId, other.userId].sort());
  });

  it('rejects with a reason the user sees; the decision is final', async () => {
    const t = await app();
    const staff = await staffMember(t, 'support');
    const { user, caseId } = await submitted(t, staff);
    const reject = await decide(staff, caseId, { decision: 'reject', reason: 'The document has expired.' });
    expect(reject.body.status).toBe('rejected');
    const mail = await t.latestMail(user.email);
    expect(mail.subject).toBe('Bastion: We could not verify your identity');
    expect(mail.text).toContain('The document has expired.');
    expect((await user.client.get('/api/kyc')).body).toMatchObject({ status: 'rejected', canSubmit: false, submission: { message: 'The document has expired.' } });
    expect((await submitKyc(user.client)).body.error).toBe('kyc_case_closed');
    expect((await user.client.upload('/api/kyc/resubmit', kycForm({}, { selfie: await photo() }))).body.error).toBe('kyc_no_resubmission');
  });

  it('lets no one decide on their own case, and checks the decision body', async () => {
    const t = await app();
    const staff = await staffMember(t, 'admin');
    expect((await submitKyc(staff.client)).status).toBe(200);
    const own = await pendingCaseOf(t, staff, staff.id);
    expect(await decide(staff, own, { decision: 'approve', reason: 'It is me.' })).toMatchObject({ status: 403, body: { error: 'staff_own_account' } });
    expect((await staff.session.get(`/api/staff/kyc/${own}`)).body.own).toBe(true);
    expect((await userRow(t, staff.email)).kyc_status).toBe('pending');
    const other = await submitted(t, staff);
    expect((await decide(staff, other.caseId, { decision: 'resubmit', reason: 'Send again' })).body).toMatchObject({ error: 'invalid_request', message: 'items: name what must be sent again.' });
    expect((await decide(staff, other.caseId, { decision: 'approve', reason: 'ok', items: ['selfie'] })).body.error).toBe('invalid_request');
    expect((await decide(staff, other.caseId, { decision: 'approve', reason: '' })).body.message).toMatch(/^reason: must say why/);
    expect((await decide(staff, 'no-such-case', { decision: 'approve', reason: 'Fine by me' })).status).toBe(404);
  });

  it('crypto-shreds on an admin’s request: a copy of the storage directory no longer decrypts', async () => {
    const t = await app();
    const admin = await staffMember(t, 'admin');
    const { user, userId, caseId } = await submitted(t, admin);
    const copy = mkdtempSync(join(tmpdir(), 'bastion-kyc-copy-'));
    cpSync(t.config.kyc.storageDir, copy, { recursive: true });
    const rows = await db(t).selectFrom('kyc_files').selectAll().where('case_id', '=', caseId).execute();
    // Before: each copied file opens with its wrapped key.
    for (const row of rows) expect((await t.deps.vault.get(row.id, { storageName: row.storage_name, keySealed: row.key_sealed! })).length).toBeGreaterThan(0);

    const support = await staffMember(t, 'support');
    expect((await support.session.post(`/api/staff/users/${userId}/kyc/erase`, { reason: 'Applicant asked' })).body.error).toBe('staff_permission_denied');
    // An open case is decided before its documents go (approving on nothing is never possible).
    expect((await admin.session.post(`/api/staff/users/${userId}/kyc/erase`, { reason: 'Applicant asked' })).body.error).toBe('kyc_in_progress');
    expect((await decide(support, caseId, { decision: 'reject', reason: 'The applicant withdrew.' })).status).toBe(200);
    const erase = await admin.session.post(`/api/staff/users/${userId}/kyc/erase`, { reason: 'The applicant asked for erasure (ticket 4411).' });
    expect(erase.body).toEqual({ status: 'documents_erased', files: 3 });

    const after = await db(t).selectFrom('kyc_files').selectAll().where('case_id', '=', caseId).execute();
    expect(after.every((f) => f.key_sealed === null && f.erased_at !== null)).toBe(true);
    expect(readdirSync(t.config.kyc.storageDir)).toEqual([]);
    const kycCase = await db(t).selectFrom('kyc_cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(kycCase.details_sealed).toBeNull();
    expect(kycCase.number_hash).not.toBeNull(); // the keyed hash stays: it still flags the document elsewhere
    // The copy: no key for it is left anywhere, and no key of the keyring opens it.
    for (const row of rows) {
      const bytes = readFileSync(join(copy, row.storage_name));
      await expect(t.deps.vault.get(row.id, { storageName: row.storage_name, keySealed: after.find((f) => f.id === row.id)!.key_sealed ?? '' })).rejects.toThrow();
      const decipher = createDecipheriv('aes-256-gcm', t.config.encryptionKeys[0]!.key, bytes.subarray(4, 16));
      decipher.setAAD(Buffer.from(row.id));
      decipher.setAuthTag(bytes.subarray(16, 32));
      expect(() => Buffer.concat([decipher.update(bytes.subarray(32)), decipher.final()])).toThrow();
    }
    expect((await admin.session.get(`/api/staff/kyc/${caseId}/files/selfie`)).status).toBe(404);
    expect((await t.latestMail(user.email)).subject).toBe('Bastion: Your identity documents were erased');
    expect((await auditOf(t, 'kyc.documents_erased')).at(-1)).toMatchObject({ actor_kind: 'staff', actor_id: admin.id, user_id: userId });
  });

  it('erases a rejected applicant’s documents 90 days after the decision, and a verified one’s only after 5 years', async () => {
    const t = await app();
    const staff = await staffMember(t, 'support');
    const rejected = await submitted(t, staff);
    const verified = await submitted(t, staff, { documentNumber: 'ZX998877' });
    await decide(staff, rejected.caseId, { decision: 'reject', reason: 'Not a real document.' });
    await decide(staff, verified.caseId, { decision: 'approve', reason: 'Looks right.' });
    t.clock.advance(89 * DAY);
    expect(await sweepKycRetention(t.deps)).toBe(0);
    t.clock.advance(DAY);
    expect(await sweepKycRetention(t.deps)).toBe(1);
    const files = await db(t).selectFrom('kyc_files').selectAll().execute();
    expect(files.filter((f) => f.key_sealed === null).map((f) => f.case_id)).toEqual([rejected.caseId, rejected.caseId, rejected.caseId]);
    expect((await auditOf(t, 'kyc.documents_erased')).at(-1)).toMatchObject({ actor_kind: 'system', user_id: rejected.userId });
    t.clock.advance(5 * 365 * DAY);
    expect(await sweepKycRetention(t.deps)).toBe(1);
    expect((await userRow(t, verified.user.email)).kyc_status).toBe('verified');
  });

  it('two sweeps at once (two nodes, or a node and `bastion kyc sweep`) erase a case once: one email, one audit event', async () => {
    const t = await app();
    const staff = await staffMember(t, 'support');
    const rejected = await submitted(t, staff);
    await decide(staff, rejected.caseId, { decision: 'reject', reason: 'Not a real document.' });
    t.clock.advance(90 * DAY);
    expect(await Promise.all([sweepKycRetention(t.deps), sweepKycRetention(t.deps)])).toEqual(expect.arrayContaining([0, 1]));
    expect(await auditOf(t, 'kyc.documents_erased')).toHaveLength(1);
    expect((await t.mailTo(rejected.user.email)).filter((m) => m.subject === 'Bastion: Your identity documents were erased')).toHaveLength(1);
  });
});
