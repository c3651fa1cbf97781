/**
 * Identity verification over HTTP: GET /api/kyc, and POST /api/kyc and /api/kyc/resubmit as
 * multipart/form-data (only these two routes take multipart bodies, up to 3 × 10 MB).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBody } from '../../contracts/common.ts';
import { KYC_FILE_ITEMS, kycDetails, kycStatusBody, kycSubmittedAnswer } from '../../contracts/kyc.ts';
import { authenticate } from '../../http/guards.ts';
import { clientOf } from '../../http/request-context.ts';
import type { RouteContext } from '../../http/route-context.ts';
import { readUpload, registerUploads } from '../../http/uploads.ts';
import { enforceRateLimit } from '../../throttle/limits.ts';
import { HOUR } from '../../clock.ts';
import { describeKyc } from './status.ts';
import { resubmitKyc, submitKyc } from './submit.ts';

const security = [{ session: [] }];
const ALLOWED = { files: KYC_FILE_ITEMS, fields: Object.keys(kycDetails.shape) };
/** Each upload is decoded and re-encoded: a bound on how often one account may make the server do it. */
const UPLOADS_PER_HOUR = { limit: 20, windowMs: HOUR };
const FIELDS = 'Fields: legalName, dateOfBirth (YYYY-MM-DD, 18 or older), country, documentType (passport, national_id, driving_licence), documentNumber, issuingCountry (ISO 3166 alpha-2).';
const FILES = 'Files: documentFront, documentBack (not for a passport), selfie — JPEG, PNG or WebP by content, at most 10 MB, at least 800×600; re-encoded without metadata and stored encrypted.';

export async function kycRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = context;
  await registerUploads(app);

  r.get(
    '/api/kyc',
    { schema: { tags: ['Identity verification'], summary: 'The account’s identity verification and what it still needs', security, response: { 200: kycStatusBody, 401: errorBody, 403: errorBody } } },
    async (request) => {
      const { user } = await authenticate(request, context);
      return describeKyc(deps, user);
    },
  );

  const upload = (path: string, summary: string, description: string, act: typeof submitKyc) =>
    r.post(
      path,
      {
        schema: {
          tags: ['Identity verification'],
          summary,
          description,
          consumes: ['multipart/form-data'],
          security,
          response: { 200: kycSubmittedAnswer, 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody, 415: errorBody, 429: errorBody },
        },
      },
      async (request) => {
        const { user } = await authenticate(request, context);
        await enforceRateLimit(deps.throttle, `kyc-upload:${user.id}`, UPLOADS_PER_HOUR, 'Too many uploads from this account. Try again later.');
        return act(deps, user, await readUpload(request, ALLOWED), clientOf(request));
      },
    );

  upload('/api/kyc', 'Submit identity documents (multipart/form-data)', `${FIELDS} ${FILES} Emails the owner; the case waits for a person to review it.`, submitKyc);
  upload('/api/kyc/resubmit', 'Send again only what the reviewer asked for (multipart/form-data)', `Only the requested items: photos by their field names, and the details fields if "details" was asked for. ${FILES}`, resubmitKyc);
}
