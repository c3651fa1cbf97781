/**
 * The staff console's API under /api/staff. Every route names its permission; the staff guard checks
 * role, permission and a fresh strong factor before anything else (so a non-staff session gets 403
 * from every one). Routes stay thin: validate, call the rule, reply.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ROLE_PERMISSIONS } from '../../account/staff-roles.ts';
import * as c from '../../contracts/staff.ts';
import { clientOf } from '../../http/request-context.ts';
import type { RouteContext } from '../../http/route-context.ts';
import { registerStaffGuard, staffOf, staffRefusals, staffRoute } from '../../http/staff-guard.ts';
import { eraseApplicant } from '../kyc/erasure.ts';
import { decideCase, reviewCase, reviewPhoto, reviewQueue } from '../kyc/review.ts';
import { lockByStaff, revokeSessionsByStaff, setStaffRole, unlockByStaff } from './account-actions.ts';
import { listAudit, verifyAuditChain } from './audit-log.ts';
import { listOutbox, retryMessage } from './outbox.ts';
import { findUserOrThrow, searchUsers, userProfile } from './users.ts';

const refused = staffRefusals;
const staff = staffRoute;

export async function staffRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = context;
  registerStaffGuard(app, context);
  const act = (request: Parameters<typeof staffOf>[0], reason: string) => ({ actor: staffOf(request).actor, reason, client: clientOf(request) });

  r.get('/api/staff/me', staff('console:open', 'The signed-in staff member, role and permissions', { response: { 200: c.staffMeBody, ...refused } }), async (request) => {
    const member = staffOf(request);
    return {
      id: member.user.id,
      email: member.user.email,
      role: member.role,
      permissions: [...ROLE_PERMISSIONS[member.role]],
      stepUpValidUntil: new Date((member.session.step_up_at ?? 0) + deps.config.staffStepUpMaxAgeMs).toISOString(),
    };
  });

  r.get('/api/staff/users', staff('users:search', 'Find users by email, id or document number', { querystring: c.userSearchQuery, response: { 200: c.userSearchBody, ...refused } }), async (request) => ({
    users: await searchUsers(deps, staffOf(request).actor, request.query.query, clientOf(request)),
  }));

  r.get('/api/staff/users/:id', staff('users:view', 'A user’s profile', { params: c.idParams, response: { 200: c.staffUserProfile, ...refused } }), async (request) =>
    userProfile(deps, staffOf(request).actor, request.params.id, clientOf(request)),
  );

  r.post('/api/staff/users/:id/lock', staff('users:lock', 'Lock an account (the user is emailed)', { params: c.idParams, body: c.reasonBody, response: { 200: c.lockedAnswer, ...refused } }), async (request) => {
    await lockByStaff(deps, request.params.id, act(request, request.body.reason));
    return { status: 'locked' as const };
  });

  r.post(
    '/api/staff/users/:id/unlock',
    staff('users:unlock', 'Lift the staff lock and failed-attempt lockouts (not an owner’s own freeze)', { params: c.idParams, body: c.reasonBody, response: { 200: c.unlockedAnswer, ...refused } }),
    async (request) => {
      await unlockByStaff(deps, request.params.id, act(request, request.body.reason));
      return { status: 'unlocked' as const };
    },
  );

  r.post(
    '/api/staff/users/:id/sessions/revoke',
    staff('users:revoke_sessions', 'End every session of an account', { params: c.idParams, body: c.reasonBody, response: { 200: c.sessionsRevokedAnswer, ...refused } }),
    async (request) => ({ status: 'sessions_revoked' as const, count: await revokeSessionsByStaff(deps, request.params.id, act(request, request.body.reason)) }),
  );

  r.put('/api/staff/users/:id/role', staff('users:set_role', 'Grant, change or remove a staff role', { params: c.idParams, body: c.roleBody, response: { 200: c.roleAnswer, ...refused } }), async (request) => {
    const user = await findUserOrThrow(deps, request.params.id);
    await setStaffRole(deps, user, request.body.role, act(request, request.body.reason));
    return { status: 'role_changed' as const, role: request.body.role };
  });

  r.post(
    '/api/staff/users/:id/kyc/erase',
    staff('kyc:erase', 'Erase an applicant’s identity documents (crypto-shredding)', { params: c.idParams, body: c.reasonBody, response: { 200: c.erasedAnswer, ...refused } }),
    async (request) => {
      const user = await findUserOrThrow(deps, request.params.id);
      return { status: 'documents_erased' as const, files: await eraseApplicant(deps, staffOf(request).actor, user.id, request.body.reason, clientOf(request)) };
    },
  );

  r.get('/api/staff/kyc', staff('kyc:review', 'The identity-verification queue, oldest first', { querystring: c.kycQueueQuery, response: { 200: c.kycQueueBody, ...refused } }), async (request) =>
    reviewQueue(deps, request.query.status, request.query.cursor),
  );

  r.get('/api/staff/kyc/:id', staff('kyc:review', 'A case with its details and photos (audited)', { params: c.idParams, response: { 200: c.kycCaseDetail, ...refused } }), async (request) =>
    reviewCase(deps, staffOf(request).actor, request.params.id, clientOf(request)),
  );

  r.get('/api/staff/kyc/:id/files/:item', staff('kyc:view_files', 'One photo of a case, decrypted (audited)', { params: c.fileParams, produces: ['image/jpeg'] }), async (request, reply) => {
    const bytes = await reviewPhoto(deps, staffOf(request).actor, request.params.id, request.params.item, clientOf(request));
    return reply.type('image/jpeg').header('content-disposition', 'inline').header('cache-control', 'no-store').send(bytes);
  });

  r.post(
    '/api/staff/kyc/:id/decision',
    staff('kyc:decide', 'Approve, reject (final) or ask for chosen items again', { params: c.idParams, body: c.decisionBody, response: { 200: c.decisionAnswer, ...refused } }),
    async (request) => decideCase(deps, staffOf(request).actor, request.params.id, request.body, clientOf(request)),
  );

  r.get('/api/staff/audit', staff('audit:view', 'The audit log, filtered, newest first', { querystring: c.auditQuery, response: { 200: c.auditPageBody, ...refused } }), async (request) =>
    listAudit(deps, request.query),
  );

  r.post('/api/staff/audit/verify', staff('audit:verify', 'Verify the audit hash chain (recorded)', { response: { 200: c.auditVerifyBody, ...refused } }), async (request) =>
    verifyAuditChain(deps, staffOf(request).actor, clientOf(request)),
  );

  r.get('/api/staff/outbox', staff('outbox:view', 'The mail outbox with delivery status', { querystring: c.outboxQuery, response: { 200: c.outboxPageBody, ...refused } }), async (request) =>
    listOutbox(deps, request.query.status, request.query.cursor),
  );

  r.post('/api/staff/outbox/:id/retry', staff('outbox:retry', 'Try delivering a pending or failed message now', { params: c.idParams, body: c.reasonBody, response: { 200: c.retryAnswer, ...refused } }), async (request) => {
    await retryMessage(deps, request.params.id, staffOf(request).actor, request.body.reason, clientOf(request));
    return { status: 'queued' as const };
  });
}
