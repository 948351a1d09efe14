import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { REQUIRED_ROLES_KEY } from '@app/http-edge';
import { Principal } from '@app/identity';
import { SecondFactorRegistry } from '@app/identity/second-factors/second-factor-registry';
import { DomainError } from '@app/platform';

/** Global, after the session guard: roles, then a second factor, for routes that ask for roles. */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly secondFactors: string[];

  constructor(
    private readonly reflector: Reflector,
    registry: SecondFactorRegistry,
  ) {
    this.secondFactors = registry.secondFactorAmr;
  }

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles || roles.length === 0) return true;
    const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (!principal || !principal.roles.some((role) => roles.includes(role))) {
      throw new DomainError('forbidden', 'Your account does not have the role this needs.');
    }
    if (!principal.amr.some((method) => this.secondFactors.includes(method))) {
      throw new DomainError('mfa_required', 'Sign in with your second factor to use administration.');
    }
    return true;
  }
}
