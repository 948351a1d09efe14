import type { RequestContext } from '@app/platform';

export class SignInCommand {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly context: RequestContext,
  ) {}
}

export interface SignInResult {
  status: 'authenticated';
  token: string;
  session: { id: string; expiresAt: string };
}
