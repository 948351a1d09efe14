import { SetMetadata } from '@nestjs/common';
import type { Role } from '../events/identity-events';

export const REQUIRED_ROLES_KEY = 'requiredRoles';

/**
 * The route needs one of these roles and a session signed in with a second factor
 * (ASVS 4.3.1: administrative interfaces use MFA). Enforced by the global RolesGuard.
 */
export const RequireRoles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES_KEY, roles);

/** Methods that prove a second factor, as recorded in a session's `amr`. */
export const SECOND_FACTOR_METHODS = ['otp', 'email', 'recovery_code'];
