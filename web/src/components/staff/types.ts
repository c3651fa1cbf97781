/** The bodies and answers of staff actions that contracts/staff.ts gives as schemas only, as types for the pages. */
import type { z } from 'zod';
import type { erasedAnswer, reasonBody, roleAnswer, roleBody, sessionsRevokedAnswer } from '../../../../src/contracts/staff.ts';

export type ReasonBody = z.infer<typeof reasonBody>;
export type RoleBody = z.infer<typeof roleBody>;
export type SessionsRevokedAnswer = z.infer<typeof sessionsRevokedAnswer>;
export type RoleAnswer = z.infer<typeof roleAnswer>;
export type ErasedAnswer = z.infer<typeof erasedAnswer>;
