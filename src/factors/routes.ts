/** The endpoints factors declare for themselves (enrolling and managing them), registered by app.ts. */
import type { FeatureRoutes } from '../http/route-context.ts';
import { backupCodeRoutes } from './backup-codes/routes.ts';
import { passkeyRoutes } from './passkey/routes.ts';
import { totpRoutes } from './totp/routes.ts';

export const factorRoutes: FeatureRoutes[] = [totpRoutes, backupCodeRoutes, passkeyRoutes];
