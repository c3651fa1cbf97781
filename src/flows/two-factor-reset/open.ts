/**
 * Opening a lost-2FA reset request (from the login page, no session): the user proves what they
 * still can — the password (the address's lock, refused like a wrong password, unknown addresses
 * alike) and a code from the account's inbox (a lock of its own, never hard: factors/locks.ts) — and sends a new selfie
 * holding their ID document; an account whose identity is not verified sends the whole KYC set
 * with it (the selfie serves both). One open request per account, at most 3 in 30 days. Opening
 * writes to every address on file with a cancel link; nothing about the account changes until a
 * person approves it and the wait is over (review.ts, carry-out.ts).
 */
import { randomUUID } from 'node:crypto';
import { isKnownDevice } from '../../account/devices.ts';
import { addressesOnFile } from '../../account/email-reservations.ts';
import { frozenError } from '../../account/freeze.ts';
import { riskSignals } from '../../account/risk.ts';
import { isStaffLocked, staffLockedError } from '../../account/staff-lock.ts';
import { findUserById, lockUser, normalizeEmail, type User } from '../../account/users.ts';
import { ANONYMOUS, anonymous } from '../../audit/audit.ts';
import { perIpKey, type ClientInfo } from '../../client/client-info.ts';
import { DAY, HOUR, isoTime } from '../../clock.ts';
import { filesFor, kycDetails, KYC_ITEMS, type KycDetails, type KycFileItem } from '../../contracts/kyc.ts';
import { resetCredentials, type ResetOpenedAnswer, type ResetSignal } from '../../contracts/two-factor-reset.ts';
import type { Deps } from '../../deps.ts';
import type { CleanPhoto } from '../../documents/photos.ts';
import { AppError, badRequest, conflict } from '../../errors/app-error.ts';
import { prepareFactor, proveFactor } from '../../factors/prove.ts';
import { availableMethods } from '../../factors/registry.ts';
import type { Ceremony } from '../../factors/types.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import { enforceRateLimit } from '../../throttle/limits.ts';
import { keepingPhotos, latestCase, removeFiles, writePhotos, type WrittenPhotos } from '../kyc/cases.ts';
import { parseDetails } from '../kyc/details.ts';
import { cleanPhotos, recordResubmission, recordSubmission, resubmittedDetails, type KycUpload } from '../kyc/submit.ts';
import { limitSignInsFromIp, provePassword } from '../login/first-factor.ts';
import { openRequestOf, statusLink, tellEveryAddress } from './requests.ts';

/** How many requests an account may open, and over how long. */
export const REQUESTS_PER_WINDOW = { limit: 3, windowMs: 30 * DAY };
const CODE_SENDS = { perEmail: { limit: 5, windowMs: HOUR }, perIp: { limit: 20, windowMs: HOUR } };
const OPENS_PER_IP = { limit: 10, windowMs: HOUR };
const CODE_MESSAGE = 'A code was sent recently. Check your inbox, or try again shortly.';

/** The emailed code of a reset request belongs to the account it was sent for. */
const ceremony = (user: User): Ceremony => ({ purpose: 'recovery', boundTo: `recovery:${user.id}`, role: 'second' });

/**
 * Emails the code that opens a request, once the password is proven (no stranger can fill the
 * owner's inbox or spend its sign-in codes): an unknown address is refused like a wrong password.
 */
export async function sendResetCode(deps: Deps, input: { email: string; password: string }, client: ClientInfo): Promise<void> {
  const email = normalizeEmail(input.email);
  await enforceRateLimit(deps.throttle, perIpKey('2fa-reset-code-ip', client), CODE_SENDS.perIp, CODE_MESSAGE);
  await enforceRateLimit(deps.throttle, `2fa-reset-code:${email}`, CODE_SENDS.perEmail, CODE_MESSAGE);
  await limitSignInsFromIp(deps, client);
  const user = await provePassword(deps, { ...input, purpose: 'recovery' }, client);
  if (user.email_verified_at === null) throw notEnrolled();
  await prepareFactor(deps, { factor: 'email_code', user, client, ceremony: ceremony(user), actor: anonymous(user.id).actor });
}

const notEnrolled = () => conflict('two_factor_not_enrolled', 'This account has no second factor to reset: sign in with your password and set one up.');

function parseCredentials(fields: Record<string, string>) {
  const parsed = resetCredentials.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badRequest('invalid_request', `${issue.path.join('.')}: ${issue.code === 'invalid_type' ? 'is required' : issue.message}.`);
  }
  return parsed.data;
}

/** What the account must still prove it can't do alone before anything is written (the password holder learns these). */
async function refuseState(deps: Deps, db: Tx | Deps['store']['db'], user: User): Promise<void> {
  if (isStaffLocked(user)) throw staffLockedError();
  if (user.frozen_at !== null) throw frozenError(deps, user);
  if ((await availableMethods(db, user.id)).length === 0) throw notEnrolled();
  const open = await openRequestOf(db, user.id);
  if (open) throw conflict('two_factor_reset_open', 'A reset request for this account is open already. Follow it from the link in our email.');
  const recent = await db
    .selectFrom('two_factor_resets')
    .select('submitted_at')
    .where('user_id', '=', user.id)
    .where('submitted_at', '>', deps.clock.now() - REQUESTS_PER_WINDOW.windowMs)
    .orderBy('submitted_at', 'asc')
    .execute();
  if (recent.length >= REQUESTS_PER_WINDOW.limit) {
    const liftsAt = recent[recent.length - REQUESTS_PER_WINDOW.limit]!.submitted_at + REQUESTS_PER_WINDOW.windowMs;
    const error = new AppError(429, 'two_factor_reset_limit', `This account has opened ${REQUESTS_PER_WINDOW.limit} reset requests in 30 days. The next one can be opened after ${isoTime(liftsAt)}.`, {
      retryAfter: Math.ceil((liftsAt - deps.clock.now()) / 1000),
      retryAt: isoTime(liftsAt),
    });
    throw error;
  }
}

/** The photos and, when the identity is not verified, the KYC set: checked and cleaned before anything is stored. */
interface Evidence {
  selfie: CleanPhoto;
  kyc: { mode: 'first' | 'again'; details: KycDetails; photos: Map<KycFileItem, CleanPhoto> } | null;
}

const KYC_FIELDS = Object.keys(kycDetails.shape);

async function readEvidence(deps: Deps, user: User, upload: KycUpload): Promise<Evidence> {
  const kycFields = Object.keys(upload.fields).filter((f) => KYC_FIELDS.includes(f));
  const documentFiles = [...upload.files.keys()].filter((f) => f !== 'selfie');
  const status = user.kyc_status;
  if (status === 'rejected') throw conflict('kyc_case_closed', 'Your identity verification was declined, so a reset cannot be checked against it. Contact support.');
  if (status === 'verified' || status === 'pending') {
    const extra = kycFields[0] ?? documentFiles[0];
    if (extra) throw badRequest('invalid_request', `${extra}: your identity documents are ${status === 'verified' ? 'verified' : 'under review'} already; send only the selfie.`);
    const photos = await cleanPhotos(upload, ['selfie'], (field) => badRequest('invalid_request', `Unknown file field: ${field}.`));
    return { selfie: photos.get('selfie')!, kyc: null };
  }
  const again = status === 'resubmission_requested' ? await latestCase(deps.store.db, user.id) : undefined;
  if (kycFields.length === 0 && documentFiles.length === 0) {
    throw badRequest('kyc_set_required', 'Your identity is not verified yet: send your document details and photos with the request (the selfie holding the document counts as the KYC selfie).', {
      items: [...KYC_ITEMS],
      // A case the reviewer sent back keeps its document type.
      documentType: again?.document_type ?? null,
    });
  }
  const now = deps.clock.now();
  const kycOnly = Object.fromEntries(kycFields.map((f) => [f, upload.fields[f]!]));
  const details = again ? resubmittedDetails({ fields: kycOnly, files: upload.files }, again.document_type, now) : parseDetails(kycOnly, now);
  const photos = await cleanPhotos(upload, filesFor(details.documentType), (field) => badRequest('invalid_request', `${field}: a ${details.documentType.replace('_', ' ')} has no back page.`));
  return { selfie: photos.get('selfie')!, kyc: { mode: again ? 'again' : 'first', details, photos } };
}

async function signalsFor(deps: Deps, user: User, client: ClientInfo, deviceCookie: string | undefined): Promise<ResetSignal[]> {
  const signals: ResetSignal[] = [];
  if (!(await isKnownDevice(deps, user.id, deviceCookie))) signals.push('new_device');
  for (const s of await riskSignals(deps, user.id, client)) signals.push(s as ResetSignal);
  if ((await addressesOnFile(deps.store.db, user, deps.clock.now())).length > 1) signals.push('recent_email_change');
  if (user.kyc_status !== 'verified') signals.push('kyc_not_verified');
  return signals;
}

const both = (a: WrittenPhotos, b: WrittenPhotos): WrittenPhotos => ({
  rows: [...a.rows, ...b.rows],
  discard: async () => {
    await Promise.all([a.discard(), b.discard()]);
  },
});

export async function openResetRequest(deps: Deps, upload: KycUpload, client: ClientInfo, deviceCookie: string | undefined): Promise<ResetOpenedAnswer> {
  const credentials = parseCredentials(upload.fields);
  await enforceRateLimit(deps.throttle, perIpKey('2fa-reset-open', client), OPENS_PER_IP, 'Too many reset requests from your network. Try again later.');
  await limitSignInsFromIp(deps, client);
  const user = await provePassword(deps, { ...credentials, purpose: 'recovery' }, client);
  if (user.email_verified_at === null) throw notEnrolled();
  await refuseState(deps, deps.store.db, user);

  const evidence = await readEvidence(deps, user, upload);
  const signals = await signalsFor(deps, user, client, deviceCookie);
  const requestId = randomUUID();
  const kycCaseId = !evidence.kyc ? null : evidence.kyc.mode === 'first' ? randomUUID() : (await latestCase(deps.store.db, user.id))!.id;
  const selfieWritten = await writePhotos(deps, requestId, new Map([['selfie', evidence.selfie]]));
  const kycWritten = evidence.kyc && kycCaseId ? await writePhotos(deps, kycCaseId, evidence.kyc.photos).catch(async (error: unknown) => {
    await selfieWritten.discard();
    throw error;
  }) : null;
  const written = kycWritten ? both(selfieWritten, kycWritten) : selfieWritten;

  let shredded: string[] = [];
  const answer = await keepingPhotos(written, () =>
    proveFactor(deps, {
      factor: 'email_code',
      ceremony: ceremony(user),
      user,
      answer: { code: credentials.emailCode },
      client,
      actor: ANONYMOUS,
      onSuccess: async (tx) => {
        // A freeze, a staff lock or another request that committed meanwhile refuses it (underLockout gives the attempt back).
        const current = await lockedAccount(deps, tx, user);
        if (evidence.kyc && kycWritten && kycCaseId) {
          if (evidence.kyc.mode === 'first') await recordSubmission(deps, tx, current, { caseId: kycCaseId, details: evidence.kyc.details, written: kycWritten, client });
          else {
            const kycCase = (await latestCase(tx, user.id))!;
            const requested = [...filesFor(kycCase.document_type), 'details' as const];
            shredded = await recordResubmission(deps, tx, current, { kycCase, requested, details: evidence.kyc.details, photos: evidence.kyc.photos, written: kycWritten, client });
          }
        }
        return insertRequest(deps, tx, current, { requestId, selfie: selfieWritten.rows[0]!, kycCaseId, signals, client });
      },
    }),
  );
  await removeFiles(deps, shredded);
  return answer;
}

/** The account, locked and read again: a freeze, a staff lock or another request that committed meanwhile stops this one. */
async function lockedAccount(deps: Deps, tx: Tx, user: User): Promise<User> {
  await lockUser(tx, deps.store.dialect, user.id);
  const current = (await findUserById(tx, user.id))!;
  await refuseState(deps, tx, current);
  return current;
}

async function insertRequest(
  deps: Deps,
  tx: Tx,
  user: User,
  input: { requestId: string; selfie: WrittenPhotos['rows'][number]; kycCaseId: string | null; signals: ResetSignal[]; client: ClientInfo },
): Promise<ResetOpenedAnswer> {
  const now = deps.clock.now();
  const place = deps.locate(input.client.ip).label;
  const device = deps.describeDevice(input.client.userAgent);
  const row = {
    id: input.requestId,
    user_id: user.id,
    status: 'pending' as const,
    selfie_file_id: input.selfie.id,
    selfie_storage_name: input.selfie.storage_name,
    selfie_key_sealed: input.selfie.key_sealed,
    selfie_width: input.selfie.width,
    selfie_height: input.selfie.height,
    kyc_case_id: input.kycCaseId,
    ip: input.client.ip,
    device,
    place,
    risk_signals: JSON.stringify(input.signals),
    submitted_at: now,
    viewed_at: null,
    reviewed_by: null,
    decided_at: null,
    reason: null,
    effective_at: null,
    completed_at: null,
    cancelled_at: null,
    created_at: now,
    updated_at: now,
  };
  await tx.insertInto('two_factor_resets').values(row).execute();
  await tellEveryAddress(deps, tx, user, row, 'two_factor_reset_requested', { at: now, device, place: place ?? 'Unknown' });
  await deps.audit.record(tx, {
    type: 'mfa_reset.requested',
    ...anonymous(user.id),
    client: input.client,
    data: { requestId: row.id, signals: input.signals, ...(input.kycCaseId ? { kycCaseId: input.kycCaseId } : {}) },
  });
  const status = await statusLink(deps, tx, row);
  return { status: 'submitted', requestId: row.id, submittedAt: isoTime(now)!, kycSubmitted: input.kycCaseId !== null, statusToken: status.token };
}
