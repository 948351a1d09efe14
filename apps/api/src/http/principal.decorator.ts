import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Principal } from '@app/identity/sessions/principal';

/** The principal the session guard put on the request (routes without @Public() only). */
export const CurrentPrincipal = createParamDecorator((_: unknown, execution: ExecutionContext): Principal => {
  const principal = execution.switchToHttp().getRequest<{ user?: Principal }>().user;
  if (!principal) throw new Error('CurrentPrincipal used on a route without a session');
  return principal;
});
