import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, RequestContext, SecureRandom } from '@app/platform';
import { describeUserAgent, IpLocator } from '@app/security';
import { eventMetadata, streams, type AuthenticationMethod } from '@app/identity-events';
import { CommandExecutor } from '../shared/command-executor';
import { ReadYourWrites } from '../shared/read-your-writes';
import { sessionDecider } from './session.decider';
import { newSessionToken } from './session-token';

export interface StartedSession {
  status: 'authenticated';
  token: string;
  session: { id: string; expiresAt: string };
}

/** Opens a session once every required factor is proved: a new random token, its hash recorded. */
@Injectable()
export class SessionStarter {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly executor: CommandExecutor,
    private readonly locator: IpLocator,
    private readonly random: SecureRandom,
    private readonly clock: Clock,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async start(
    sessionId: string,
    userId: string,
    amr: AuthenticationMethod[],
    context: RequestContext,
  ): Promise<StartedSession> {
    const now = this.clock.now();
    const { token, tokenHash } = newSessionToken(this.random, sessionId);
    const device = describeUserAgent(context.userAgent);
    const expiresAt = new Date(now.getTime() + this.config.sessions.maxAgeSeconds * 1000).toISOString();
    const { appended } = await this.executor.execute(
      streams.session(sessionId),
      sessionDecider,
      {
        kind: 'start',
        session: {
          sessionId,
          userId,
          tokenHash,
          amr,
          browser: device.browser,
          os: device.os,
          ip: context.ip,
          location: this.locator.locate(context.ip),
          expiresAt,
          idleTimeoutSeconds: this.config.sessions.idleTimeoutSeconds,
        },
      },
      eventMetadata({ ...context, actor: { type: 'user', id: userId } }, now),
    );
    await this.readYourWrites.settle(appended?.position);
    return { status: 'authenticated', token, session: { id: sessionId, expiresAt } };
  }
}
