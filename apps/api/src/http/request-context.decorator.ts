import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { RequestContext } from '@app/platform';

/** The RequestContext the API's middleware attached to the request. */
export const Context = createParamDecorator((_: unknown, execution: ExecutionContext): RequestContext => {
  const request = execution.switchToHttp().getRequest<{ context?: RequestContext }>();
  if (!request.context) throw new Error('RequestContext middleware did not run');
  return request.context;
});
