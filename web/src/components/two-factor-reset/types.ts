/** The bodies and answers of the 2FA reset that contracts/two-factor-reset.ts gives as schemas only, as types for the pages. */
import type { z } from 'zod';
import type { resetCancelBody, resetEmailCodeAnswer, resetEmailCodeBody } from '../../../../src/contracts/two-factor-reset.ts';

export type ResetEmailCodeBody = z.infer<typeof resetEmailCodeBody>;
export type ResetEmailCodeAnswer = z.infer<typeof resetEmailCodeAnswer>;
export type ResetCancelBody = z.infer<typeof resetCancelBody>;
