import type { RequestContext } from '@app/platform';

export class RegisterUserCommand {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly context: RequestContext,
    readonly roles: string[] = [],
  ) {}
}
