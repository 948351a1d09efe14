import { SetMetadata } from '@nestjs/common';
import type { Role } from '@app/identity-events';

export const IS_PUBLIC_KEY = 'isPublic';

/** Every route needs a session unless it says, visibly, that it does not. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

export const REQUIRED_ROLES_KEY = 'requiredRoles';

/**
 * The route needs one of these roles and a session signed in with a second factor
 * (ASVS 4.3.1: administrative interfaces use MFA). Enforced by the global RolesGuard.
 */
export const RequireRoles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES_KEY, roles);
