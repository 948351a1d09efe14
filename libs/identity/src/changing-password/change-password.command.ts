import type { RequestContext } from '@app/platform';
import type { Principal } from '../sessions/principal';

export class ChangePasswordCommand {
  constructor(
    readonly principal: Principal,
    readonly currentPassword: string,
    readonly newPassword: string,
    readonly context: RequestContext,
  ) {}
}
