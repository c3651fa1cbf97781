/**
 * Sending identity documents: what is taken (JPEG, PNG, WebP by content, ≤ 10 MB, ≥ 800×600, whole),
 * what each refusal says, that nothing is half-stored, that the stored photo has no metadata left and
 * is not on disk in the clear, and the status, email and audit event of a submission.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { enrolledUser } from '../../../test/accounts.ts';
import { dialects, testApps, type TestApp } from '../../../test/harness.ts';
import { DETAILS, idCardPhotos, kycForm, pendingCaseOf, photo, staffMember, submitKyc } from '../../../test/kyc.ts';
import { lockTokens } from '../../../test/mail.ts';
import { auditOf, db, userRow } from '../../../test/queries.ts';

const storedFiles = (t: TestApp) => readdirSync(t.config.kyc.storageDir).filter((f) => !f.endsWith('.tmp'));
const kycRows = async (t: TestApp) => ({
  cases: await db(t).selectFrom('kyc_cases').selectAll().execute(),
  files: await db(t).selectFrom('kyc_files').selectAll().execute(),
});

describe.each(dialects)('identity verification: submitting on %s', (dialect) => {
  const app = testApps(dialect);

  it('takes a full set: pending, on /api/kyc and /api/me, one email with the lock link, one audit event by the user', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const res = await submitKyc(user.client);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'pending', level: 0, canSubmit: false, canResubmit: false, submission: { legalName: 'Ada Lovelace', documentType: 'national_id', issuingCountry: 'GB', requestedItems: [] } });
    expect((await user.client.get('/api/kyc')).body.status).toBe('pending');
    expect((await user.client.get('/api/me')).body.security).toMatchObject({ kycStatus: 'pending', kycLevel: 0 });
    const mail = await t.latestMail(user.email);
    expect(mail.subject).toBe('Bastion: We received your identity documents');
    expect(lockTokens(mail)).toHaveLength(1);
    const row = await userRow(t, user.email);
    const [event] = await auditOf(t, 'kyc.submitted');
    expect(event).toMatchObject({ user_id: row.id, actor_kind: 'user', actor_id: row.id });
    // The database holds metadata only: the details are sealed, the photos are in the vault.
    const { cases, files } = await kycRows(t);
    expect(cases[0]!.details_sealed).not.toContain('Lovelace');
    expect(cases[0]!.details_sealed).not.toContain(DETAILS.documentNumber);
    expect(files.map((f) => f.item).sort()).toEqual(['documentBack', 'documentFront', 'selfie']);
    expect(storedFiles(t)).toHaveLength(3);
  });

  it('takes three photos of nearly 10 MB each in one upload (the upload routes’ own limit)', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const noise = (seed: number) => {
      const raw = Buffer.alloc(1950 * 1650 * 3);
      let x = seed;
      for (let i = 0; i < raw.length; i++) raw[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
      return sharp(raw, { raw: { width: 1950, height: 1650, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
    };
    const files = { documentFront: await noise(1), documentBack: await noise(2), selfie: await noise(3) };
    for (const f of Object.values(files)) expect(f.length).toBeGreaterThan(9 * 1024 * 1024);
    const res = await user.client.upload('/api/kyc', kycForm(DETAILS, files));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(storedFiles(t)).toHaveLength(3);
  });

  it('refuses a file that claims to be a JPEG but is not, naming the field; nothing is stored', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const files = await idCardPhotos();
    files.documentBack = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4000, 0x20)]);
    const res = await user.client.upload('/api/kyc', kycForm(DETAILS, files, 'image/jpeg'));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'file_not_image', field: 'documentBack' });
    expect(res.body.message).toMatch(/^documentBack: .*not a JPEG, PNG or WebP/);
    expect(await kycRows(t)).toEqual({ cases: [], files: [] });
    expect(storedFiles(t)).toEqual([]);
    expect((await userRow(t, user.email)).kyc_status).toBe('none');
  });

  it('refuses a file over 10 MB, one under 800×600 and a truncated JPEG, each saying which and why', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const good = await idCardPhotos();
    const big = Buffer.concat([await photo(), Buffer.alloc(10 * 1024 * 1024, 1)]);
    const small = await photo({ width: 640, height: 480 });
    const whole = await photo();
    const truncated = whole.subarray(0, Math.floor(whole.length * 0.6));
    const cases: [Buffer, string, RegExp][] = [
      [big, 'file_too_large', /^selfie: the file is larger than 10 MB/],
      [small, 'image_too_small', /^selfie: the image is 640×480 pixels; it must be at least 800×600/],
      [truncated, 'image_corrupt', /^selfie: the image could not be read: it is damaged or incomplete/],
    ];
    for (const [selfie, code, message] of cases) {
      const res = await user.client.upload('/api/kyc', kycForm(DETAILS, { ...good, selfie }));
      expect(res.status, code).toBe(400);
      expect(res.body.error).toBe(code);
      expect(res.body.message).toMatch(message);
    }
    expect(await kycRows(t)).toEqual({ cases: [], files: [] });
    expect(storedFiles(t)).toEqual([]);
  });

  it('refuses a small file that claims a huge image (a decompression bomb) before decoding it', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const bomb = await sharp({ create: { width: 8000, height: 7000, channels: 3, background: '#777' } }).png().toBuffer();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const res = await user.client.upload('/api/kyc', kycForm(DETAILS, { ...(await idCardPhotos()), selfie: bomb }));
    expect(res.body).toMatchObject({ error: 'image_too_large', field: 'selfie' });
    expect(res.body.message).toMatch(/^selfie: the image is 8000×7000 pixels/);
    expect(storedFiles(t)).toEqual([]);
  });

  it('keeps no EXIF or GPS: the image read back through the staff route is re-encoded, oriented, without metadata', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const withGps = await photo({ gps: true });
    expect((await sharp(withGps).metadata()).exif?.length).toBeGreaterThan(0);
    const res = await user.client.upload('/api/kyc', kycForm(DETAILS, { ...(await idCardPhotos()), documentFront: withGps }));
    expect(res.status).toBe(200);
    const staff = await staffMember(t, 'support');
    const caseId = await pendingCaseOf(t, staff, (await userRow(t, user.email)).id);
    const image = await staff.session.get(`/api/staff/kyc/${caseId}/files/documentFront`);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    const back = image.raw.rawPayload;
    const meta = await sharp(back).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 1200, height: 900 });
    expect(meta.exif).toBeUndefined();
    // The staff member's look at the document is on record.
    expect((await auditOf(t, 'kyc.file_viewed')).at(-1)).toMatchObject({ actor_kind: 'staff', actor_id: staff.id, user_id: (await userRow(t, user.email)).id });
    expect(meta.xmp).toBeUndefined();
    expect(back.includes(Buffer.from('owner-secret-tag'))).toBe(false);
    expect(back.includes(Buffer.from('TestPhone'))).toBe(false);
  });

  it('stores no image in the clear: the bytes on disk are ciphertext, each file under its own key', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    expect((await submitKyc(user.client)).status).toBe(200);
    const { files } = await kycRows(t);
    const keys = new Set(files.map((f) => f.key_sealed));
    expect(keys.size).toBe(3);
    expect(storedFiles(t).sort()).toEqual(files.map((f) => f.storage_name).sort());
    for (const file of files) {
      const bytes = readFileSync(join(t.config.kyc.storageDir, file.storage_name));
      const image = await t.deps.vault.get(file.id, { storageName: file.storage_name, keySealed: file.key_sealed! });
      expect((await sharp(image).metadata()).format).toBe('jpeg');
      expect(bytes.subarray(0, 4).toString()).toBe('BKV1');
      // No stretch of the image is on disk: not its start, not a run from its middle.
      for (const at of [0, 1000, Math.floor(image.length / 2)]) expect(bytes.includes(image.subarray(at, at + 32))).toBe(false);
      await expect(sharp(bytes).metadata()).rejects.toThrow();
    }
  });

  it('checks the set and the details: a passport has no back, an ID card needs one, 18 or older, known countries, one submission at a time', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const files = await idCardPhotos();
    const passport = await user.client.upload('/api/kyc', kycForm({ ...DETAILS, documentType: 'passport' }, files));
    expect(passport.status).toBe(400);
    expect(passport.body.message).toMatch(/^documentBack: a passport has no back page/);
    const noBack = await user.client.upload('/api/kyc', kycForm(DETAILS, { documentFront: files.documentFront!, selfie: files.selfie! }));
    expect(noBack.body).toMatchObject({ error: 'file_missing', field: 'documentBack' });
    const minor = await user.client.upload('/api/kyc', kycForm({ ...DETAILS, dateOfBirth: '2008-01-16' }, files));
    expect(minor.body.error).toBe('underage'); // the clock says 2026-01-15: 17 years and 364 days
    const country = await user.client.upload('/api/kyc', kycForm({ ...DETAILS, issuingCountry: 'XX' }, files));
    expect(country.body).toMatchObject({ error: 'invalid_request', message: 'issuingCountry: must be a two-letter country code such as DE or SG.' });
    const unknown = await user.client.upload('/api/kyc', kycForm(DETAILS, { ...files, extra: files.selfie! }));
    expect(unknown.body).toMatchObject({ error: 'invalid_request', message: 'Send at most 3 photos.' });
    const json = await user.client.post('/api/kyc', DETAILS);
    expect(json.status).toBe(415);
    expect(await kycRows(t)).toEqual({ cases: [], files: [] });

    const adult = await user.client.upload('/api/kyc', kycForm({ ...DETAILS, dateOfBirth: '2008-01-15', documentType: 'passport' }, { documentFront: files.documentFront!, selfie: files.selfie! }));
    expect(adult.status, JSON.stringify(adult.body)).toBe(200);
    const again = await submitKyc(user.client);
    expect(again).toMatchObject({ status: 409, body: { error: 'kyc_in_progress' } });
    expect((await kycRows(t)).cases).toHaveLength(1);
  });

  it('answers 401 without a session and keeps multipart off every other route', async () => {
    const t = await app();
    const anonymous = t.client();
    expect((await anonymous.upload('/api/kyc', kycForm(DETAILS, {}))).status).toBe(401);
    const user = await enrolledUser(t);
    const other = await user.client.upload('/api/me/password', kycForm({ currentPassword: 'x', newPassword: 'y' }, {}));
    expect(other).toMatchObject({ status: 415, body: { error: 'unsupported_media_type' } });
  });
});
