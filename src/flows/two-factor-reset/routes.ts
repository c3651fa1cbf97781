/**
 * Lost 2FA over HTTP. Without a session: the code that opens a request, the request itself
 * (multipart/form-data: the only route of this scope that takes it), its status page and cancel
 * link. Staff (/api/staff/2fa-resets, behind the staff guard): the queue, a request, its selfie
 * and the decision.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBody } from '../../contracts/common.ts';
import { idParams } from '../../contracts/staff.ts';
import * as c from '../../contracts/two-factor-reset.ts';
import { clientOf } from '../../http/request-context.ts';
import type { RouteContext } from '../../http/route-context.ts';
import { registerStaffGuard, staffOf, staffRefusals, staffRoute } from '../../http/staff-guard.ts';
import { readUpload, registerUploads } from '../../http/uploads.ts';
import { openResetRequest, sendResetCode } from './open.ts';
import { decideRequest, resetQueue, reviewRequest, reviewSelfie } from './review.ts';
import { cancelRequest, requestStatus } from './status.ts';

const tags = ['Lost 2FA'];

export async function twoFactorResetRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const { deps, cookies } = context;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/auth/2fa-reset/email-code',
    {
      schema: {
        tags,
        summary: 'Check the password, then email a code that opens a 2FA reset request',
        description:
          'The password is checked as at sign-in (the address’s lock; an unknown address is answered 401 invalid_credentials like a wrong password). ' +
          'Rate-limited per address and per IP; at most 3 codes in 10 minutes per account.',
        body: c.resetEmailCodeBody,
        response: { 202: c.resetEmailCodeAnswer, 400: errorBody, 401: errorBody, 409: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      await sendResetCode(deps, request.body, clientOf(request));
      return reply.status(202).send({ status: 'check_email' as const });
    },
  );

  r.get(
    '/api/auth/2fa-reset/status',
    {
      schema: {
        tags,
        summary: 'Where a reset request stands (the link from its emails)',
        description: 'The token is single-use; the answer carries the next one (`nextToken`), so the page can be looked at again.',
        querystring: c.resetStatusQuery,
        response: { 200: c.resetStatusBody, 400: errorBody },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return requestStatus(deps, request.query.token);
    },
  );

  r.post(
    '/api/auth/2fa-reset/cancel',
    {
      schema: {
        tags,
        summary: "Cancel — this wasn't me: cancels the request (if still open) and locks the account",
        body: c.resetCancelBody,
        response: { 200: c.resetCancelAnswer, 400: errorBody },
      },
    },
    async (request) => cancelRequest(deps, request.body.token, clientOf(request)),
  );

  await app.register(async (uploads) => {
    await registerUploads(uploads);
    uploads.withTypeProvider<ZodTypeProvider>().post(
      '/api/auth/2fa-reset',
      {
        schema: {
          tags,
          summary: 'Open a 2FA reset request (multipart/form-data)',
          description:
            'Fields: email, password, emailCode (from /api/auth/2fa-reset/email-code). File: selfie — a new photo of you holding your ID document (JPEG, PNG or WebP, ' +
            'at most 10 MB, at least 800×600). When the identity is not verified yet (400 kyc_set_required), also the KYC details fields and documentFront, ' +
            'documentBack (not for a passport). One open request per account, at most 3 in 30 days (429 two_factor_reset_limit).',
          consumes: ['multipart/form-data'],
          response: { 201: c.resetOpenedAnswer, 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody, 415: errorBody, 429: errorBody },
        },
      },
      async (request, reply) => {
        const upload = await readUpload(request, { files: c.RESET_FILES, fields: c.RESET_FIELDS });
        const answer = await openResetRequest(deps, upload, clientOf(request), request.cookies[cookies.name('device')]);
        return reply.status(201).send(answer);
      },
    );
  });

  await app.register(async (staff) => {
    registerStaffGuard(staff, context);
    const s = staff.withTypeProvider<ZodTypeProvider>();
    s.get(
      '/api/staff/2fa-resets',
      staffRoute('two_factor_resets:review', 'Lost-2FA reset requests, oldest first', { querystring: c.resetQueueQuery, response: { 200: c.resetQueueBody, ...staffRefusals } }),
      async (request) => resetQueue(deps, request.query.status, request.query.cursor),
    );
    s.get(
      '/api/staff/2fa-resets/:id',
      staffRoute('two_factor_resets:review', 'A reset request: the new selfie, the verified identity, activity and risk signals (audited)', { params: idParams, response: { 200: c.resetDetail, ...staffRefusals } }),
      async (request) => reviewRequest(deps, staffOf(request).actor, request.params.id, clientOf(request)),
    );
    s.get(
      '/api/staff/2fa-resets/:id/selfie',
      staffRoute('two_factor_resets:view_files', 'The request’s new selfie, decrypted (audited)', { params: idParams, produces: ['image/jpeg'] }),
      async (request, reply) => {
        const bytes = await reviewSelfie(deps, staffOf(request).actor, request.params.id, clientOf(request));
        return reply.type('image/jpeg').header('content-disposition', 'inline').header('cache-control', 'no-store').send(bytes);
      },
    );
    s.post(
      '/api/staff/2fa-resets/:id/decision',
      staffRoute('two_factor_resets:decide', 'Approve (starts the wait) or reject a reset request', { params: idParams, body: c.resetDecisionBody, response: { 200: c.resetDecisionAnswer, ...staffRefusals } }),
      async (request) => decideRequest(deps, staffOf(request).actor, request.params.id, request.body, clientOf(request)),
    );
  });
}
