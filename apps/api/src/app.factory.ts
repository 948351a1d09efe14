import { Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '@app/platform';
import { HashingCapacity } from '@app/security';
import { AppModule } from './app.module';
import { adminConsole } from './admin-console';
import { admitBeforeExpress, hashingAdmission, headersSetBy } from './http/hashing-admission';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { jsonBodyParser } from './http/request-body';
import { requestContextMiddleware } from './http/request-context.middleware';
import { RequestValidationPipe } from './http/validation.pipe';

export interface CreateAppOptions {
  logger?: false | LogLevel[];
}

/** Builds the API (and, in the embedded default, the in-process projector) without listening. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: options.logger ?? (config.nodeEnv === 'test' ? false : ['log', 'warn', 'error']),
  });
  return configureApp(app, config);
}

/** Everything around the modules: headers, overload admission, body parsing, errors, validation, OpenAPI, console. */
export function configureApp(app: NestExpressApplication, config: AppConfig): NestExpressApplication {
  app.set('trust proxy', config.trustProxy === false ? false : parseTrustProxy(config.trustProxy));
  app.disable('x-powered-by');
  app.enableShutdownHooks();

  app.use(requestContextMiddleware);
  // Swagger UI gets its own policy on /docs: its script and styles from this origin, inline styles
  // (it sets them), images as data URLs, nothing from elsewhere, no framing, no plugins.
  const strictHeaders = helmet();
  const docsHeaders = helmet({ contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP } });
  app.use((request: Request, response: Response, next: NextFunction) =>
    (request.path.startsWith('/docs') ? docsHeaders : strictHeaders)(request, response, next),
  );
  // Answers of the API can carry tokens, TOTP secrets and recovery codes: no cache may keep one.
  app.use('/v1', (_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Overload: a request that would hash a password while the hasher cannot take it is answered 503
  // before anything else is spent on it (no Express, body parsing, lookup, event, rate-limit or
  // lockout count); the refusal carries helmet's headers, computed once.
  const admission = hashingAdmission(app.get(HashingCapacity), { headers: headersSetBy(strictHeaders) });
  admitBeforeExpress(app.getHttpServer(), admission.onRequest);
  app.use(jsonBodyParser(config.bodyLimitBytes));
  app.use(admission.afterBody);
  // One Vue app: the console at /admin and the users' security pages at /account.
  const consoleApp = adminConsole();
  app.use('/admin', consoleApp);
  app.use('/account', consoleApp);

  app.useGlobalPipes(new RequestValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());

  if (!config.apiDocs) return app;
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Account security service')
      .setDescription('Sign-up, sign-in, sessions, MFA and the audit trail. Errors are application/problem+json with a stable `code`.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  return app;
}

/** Content-Security-Policy of the API explorer at /docs. */
export const DOCS_CSP = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
};

function parseTrustProxy(value: string): string | number | boolean {
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

export async function listen(app: NestExpressApplication, config: AppConfig): Promise<string> {
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${port}`;
  new Logger('Bootstrap').log(`Listening on ${url} (console ${url}/admin, API explorer ${url}/docs)`);
  return url;
}
