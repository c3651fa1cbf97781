/**
 * The staff guard, for every route of the staff console's scope (registerStaffGuard), run before the
 * request body is read or validated so a non-staff session learns nothing from a staff route but 403: a live
 * session (401 otherwise); a staff role (403 staff_only); the permission the route declares, from the
 * one table (403 staff_permission_denied); and a strong factor shown in this session within
 * STAFF_STEP_UP_MAX_AGE (403 staff_step_up_required, naming the strong factors to step up with).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Session } from '../account/sessions.ts';
import { can, type Permission } from '../account/staff-roles.ts';
import type { User } from '../account/users.ts';
import type { StaffActor } from '../audit/audit.ts';
import type { StaffRole } from '../contracts/staff.ts';
import { errorBody } from '../contracts/common.ts';
import { forbidden } from '../errors/app-error.ts';
import { strongMethods } from '../factors/registry.ts';
import { isStepUpFresh } from '../factors/step-up-guard.ts';
import { authenticate } from './guards.ts';
import type { RouteContext } from './route-context.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a staff route needs (checked by the staff guard). */
    permission?: Permission;
  }
}

export interface StaffMember {
  user: User;
  session: Session;
  role: StaffRole;
  /** The audit actor of what they do. */
  actor: StaffActor;
}

const members = new WeakMap<FastifyRequest, StaffMember>();

async function requireStaff(request: FastifyRequest, context: RouteContext, permission: Permission | undefined): Promise<StaffMember> {
  const { deps } = context;
  const { user, session } = await authenticate(request, context);
  const role = user.staff_role;
  if (role === null) throw forbidden('staff_only', 'This is for staff only.');
  if (!permission || !can(role, permission)) throw forbidden('staff_permission_denied', `Your staff role (${role}) does not allow this.`);
  if (!isStepUpFresh(session, deps.clock.now(), deps.config.staffStepUpMaxAgeMs)) {
    throw forbidden('staff_step_up_required', 'Confirm it is you with your passkey or authenticator app to use the staff console.', {
      stepUp: { methods: await strongMethods(deps.store.db, user.id), endpoint: '/api/auth/step-up' },
    });
  }
  return { user, session, role, actor: { kind: 'staff', id: user.id } };
}

/** Guards every route registered in `app` (a staff scope); each route names its permission in `config`. */
export function registerStaffGuard(app: FastifyInstance, context: RouteContext): void {
  // onRequest: before the body is even parsed, so malformed input tells a non-staff session nothing but 403.
  app.addHook('onRequest', async (request) => {
    members.set(request, await requireStaff(request, context, request.routeOptions.config.permission));
  });
}

/** The staff member the guard admitted. */
export function staffOf(request: FastifyRequest): StaffMember {
  const member = members.get(request);
  if (!member) throw forbidden('staff_only', 'This is for staff only.');
  return member;
}

/** The answers every staff route may give besides its own. */
export const staffRefusals = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

/** A staff route's options: the permission the guard checks, and its OpenAPI description. */
export const staffRoute = <S extends object>(permission: Permission, summary: string, schema: S) => ({
  config: { permission },
  schema: { tags: ['Staff console'], summary: `${summary} (staff: ${permission})`, security: [{ session: [] }], ...schema },
});
