/**
 * Identity verification in tests: real images made with sharp (with GPS and camera EXIF tags when
 * asked), multipart forms as a browser sends them, a submission, and staff members signed in with a
 * fresh strong factor.
 */
import sharp from 'sharp';
import { expect } from 'vitest';
import { SYSTEM } from '../src/audit/audit.ts';
import type { StaffRole } from '../src/contracts/staff.ts';
import { setStaffRole } from '../src/flows/staff/account-actions.ts';
import { enrolledUser, signIn, type Enrolled } from './accounts.ts';
import type { TestClient, TestResponse } from './client.ts';
import type { TestApp } from './harness.ts';
import { userRow } from './queries.ts';

export interface PhotoOptions {
  width?: number;
  height?: number;
  format?: 'jpeg' | 'png' | 'webp';
  /** Add camera and GPS EXIF tags (as a phone's camera does). */
  gps?: boolean;
}

/** A real photo: a gradient with noise (so it does not compress to nothing), optionally with GPS tags. */
export async function photo(options: PhotoOptions = {}): Promise<Buffer> {
  const width = options.width ?? 1200;
  const height = options.height ?? 900;
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7 + ((i / (width * 3)) | 0) * 3 + ((i * 2654435761) >>> 28)) & 0xff;
  let image = sharp(raw, { raw: { width, height, channels: 3 } });
  if (options.gps) {
    image = image.withExif({
      IFD0: { Make: 'TestPhone', Model: 'Camera 9', Copyright: 'owner-secret-tag' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2964/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 4008/100' },
    });
  }
  const format = options.format ?? 'jpeg';
  return format === 'png' ? image.png().toBuffer() : format === 'webp' ? image.webp().toBuffer() : image.jpeg({ quality: 85 }).toBuffer();
}

export const DETAILS = {
  legalName: 'Ada Lovelace',
  dateOfBirth: '1990-12-10',
  country: 'GB',
  documentType: 'national_id',
  documentNumber: 'AB1234567',
  issuingCountry: 'GB',
} as const;

/** A multipart form: text fields, then files (each with a file name and declared type, which the server ignores). */
export function kycForm(fields: Record<string, string>, files: Record<string, Buffer>, declaredType = 'image/jpeg'): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const [name, bytes] of Object.entries(files)) form.append(name, new Blob([new Uint8Array(bytes)], { type: declaredType }), `${name}.jpg`);
  return form;
}

/** The three photos of an ID card. */
export async function idCardPhotos(): Promise<Record<string, Buffer>> {
  return { documentFront: await photo(), documentBack: await photo({ format: 'png' }), selfie: await photo({ width: 900, height: 1200, format: 'webp' }) };
}

/** Submits a full ID-card set (details overridable) and returns the answer. */
export async function submitKyc(client: TestClient, details: Partial<Record<keyof typeof DETAILS, string>> = {}): Promise<TestResponse> {
  return client.upload('/api/kyc', kycForm({ ...DETAILS, ...details }, await idCardPhotos()));
}

export interface StaffMember extends Enrolled {
  id: string;
  /** Signed in with TOTP just now: the staff step-up is fresh. */
  session: TestClient;
}

/** An enrolled account with a staff role, signed in with its authenticator app. */
export async function staffMember(t: TestApp, role: StaffRole): Promise<StaffMember> {
  const user = await enrolledUser(t);
  const row = await userRow(t, user.email);
  await setStaffRole(t.deps, row, role, { actor: SYSTEM, reason: 'test', client: null });
  return { ...user, id: row.id, session: await signIn(t, user) };
}

/** The pending case of an account (via the staff queue). */
export async function pendingCaseOf(t: TestApp, staff: StaffMember, userId: string): Promise<string> {
  const queue = await staff.session.get('/api/staff/kyc?status=pending');
  expect(queue.status, JSON.stringify(queue.body)).toBe(200);
  const found = (queue.body.cases as { id: string; userId: string }[]).find((c) => c.userId === userId);
  if (!found) throw new Error('no pending case for that user');
  return found.id;
}
