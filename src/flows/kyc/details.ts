/**
 * The typed details of a submission: the contract's field rules, then the age rule (18 or older on
 * the clock's today, in UTC), with the same `{error, message}` answer as every invalid field.
 */
import { kycDetails, type KycDetails } from '../../contracts/kyc.ts';
import { badRequest } from '../../errors/app-error.ts';

const ADULT_YEARS = 18;

export function parseDetails(fields: Record<string, string>, now: number): KycDetails {
  const parsed = kycDetails.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    const message = issue.code === 'unrecognized_keys' ? `Unknown field: ${issue.keys.join(', ')}.` : `${field}: ${issue.code === 'invalid_type' ? 'is required' : issue.message}.`;
    throw badRequest('invalid_request', message);
  }
  const born = new Date(`${parsed.data.dateOfBirth}T00:00:00Z`);
  const today = new Date(now);
  const adultOn = Date.UTC(born.getUTCFullYear() + ADULT_YEARS, born.getUTCMonth(), born.getUTCDate());
  if (born.getTime() > now) throw badRequest('invalid_request', 'dateOfBirth: is in the future.');
  if (adultOn > Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())) {
    throw badRequest('underage', `dateOfBirth: you must be ${ADULT_YEARS} or older to verify your identity.`);
  }
  return parsed.data;
}
