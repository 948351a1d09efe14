import { Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { JsonLogger, Metrics, type AppConfig } from '@app/platform';
import { HashingCapacity } from '@app/security';
import { AppModule } from './app.module';
import { adminConsole } from './admin-console';
import { hashingAdmission } from './http/hashing-admission';
import { problem, writeProblem } from './http/problem';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { bodyErrorProblem, registerJsonBodyParser } from './http/request-body';
import { requestContextHook, requestIdOf } from './http/request-context';
import { securityHeaders } from './http/security-headers';
import { RequestValidationPipe } from './http/validation.pipe';

export interface CreateAppOptions {
  logger?: false | LogLevel[] | JsonLogger;
}

/** Where the app logs: nowhere in tests, JSON lines (pino) or Nest's console lines (LOG_FORMAT). */
export function appLogger(config: AppConfig): false | LogLevel[] | JsonLogger {
  if (config.nodeEnv === 'test') return false;
  return config.logFormat === 'json' ? new JsonLogger() : ['log', 'warn', 'error'];
}

/** Builds the API (and, in the embedded default, the in-process projector) without listening. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const logger = options.logger ?? appLogger(config);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), httpAdapter(config), {
    bodyParser: false,
    logger,
  });
  return configureApp(app, config, logger instanceof JsonLogger ? logger : undefined);
}

/**
 * The Fastify instance under Nest. Routing is case-insensitive and tolerates a trailing slash (as
 * Express's was); no Nest middleware is used, so @fastify/middie is not registered; a request
 * Fastify cannot even route (a malformed URL) still gets a problem document.
 */
export function httpAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy: config.trustProxy === false ? false : parseTrustProxy(config.trustProxy),
    bodyLimit: config.bodyLimitBytes,
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true },
    // Node's own limits, which Express kept and Fastify would lift (it sets no request timeout and
    // 72 s of keep-alive): a client gets 5 minutes to send a request, an idle connection 5 s.
    requestTimeout: 300_000,
    keepAliveTimeout: 5_000,
    skipMiddie: true,
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      // No hook has run for such a request: its security headers and request id are set here.
      const headers = (request.server as FastifyInstance & { [SECURITY_HEADERS]?: Record<string, string> })[
        SECURITY_HEADERS
      ];
      if (headers) reply.headers(headers);
      reply.header('X-Request-Id', requestIdOf(request.headers['x-request-id']));
      writeProblem(
        reply,
        bodyErrorProblem(error, config.bodyLimitBytes) ??
          problem(400, 'bad_request', 'The request is not valid HTTP for this service.'),
      );
    },
  });
}

/**
 * Everything around the modules, as Fastify hooks in this order: request context, security
 * headers and no-store on /v1, overload admission (all `onRequest`, before the body is read); JSON
 * body parsing; step-up admission (`preValidation`); then errors, validation, OpenAPI, console.
 */
export async function configureApp(
  app: NestFastifyApplication,
  config: AppConfig,
  /** With a JSON logger, one line per answered request: id, method, route pattern, status, time. */
  accessLog?: JsonLogger,
): Promise<NestFastifyApplication> {
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  // Declared up front, so every request object has the same shape (V8 keeps one hidden class).
  fastify.decorateRequest('context', null);
  fastify.decorateRequest('user', null);
  // Before any plugin: each encapsulated plugin copies the parsers and hooks it is created with.
  registerJsonBodyParser(fastify, config.bodyLimitBytes);

  fastify.addHook('onRequest', requestContextHook);
  // Request counts and latency by route pattern (not the URL: ids would make a series per user).
  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    // The route pattern, never the URL: no id, address or query string reaches the log.
    accessLog?.pino.info(
      { requestId: request.context?.requestId, ...labels, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request completed',
    );
    done();
  });
  // @fastify/helmet's headers, computed once. Swagger UI gets its own policy on /docs: its script
  // and styles from this origin, inline styles (it sets them), images as data URLs, nothing from
  // elsewhere, no framing, no plugins.
  const strictHeaders = await securityHeaders();
  fastify.decorate(SECURITY_HEADERS, strictHeaders);
  const docsHeaders = await securityHeaders({ contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP } });
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    reply.headers(DOCS_PATH.test(request.url) ? docsHeaders : strictHeaders);
    // Answers of the API can carry tokens, TOTP secrets and recovery codes: no cache may keep one.
    if (V1_PATH.test(request.url)) reply.header('Cache-Control', 'no-store');
    done();
  });
  // Overload: a request that would hash a password while the hasher cannot take it is answered 503
  // before its body is read (no parsing, lookup, event, rate-limit or lockout count).
  const admission = hashingAdmission(app.get(HashingCapacity));
  fastify.addHook('onRequest', admission.onRequest);
  fastify.addHook('preValidation', admission.afterBody);

  // One Vue app: the console at /admin and the users' security pages at /account.
  await app.register(adminConsole(), { prefix: '/admin' });
  await app.register(adminConsole(), { prefix: '/account' });

  app.useGlobalPipes(new RequestValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter({ bodyLimitBytes: config.bodyLimitBytes }));

  if (!config.apiDocs) return app;
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Account security service')
      .setDescription(
        'Sign-up, sign-in, sessions, MFA and the audit trail. Errors are application/problem+json with a stable `code`.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  return app;
}

/** Where `frameworkErrors` finds the security headers `configureApp` computed. */
const SECURITY_HEADERS = 'securityHeaders';

/** `/v1` and everything under it (any case, as routing is case-insensitive). */
const V1_PATH = /^\/v1(?:[/?#]|$)/i;
/** The API explorer's pages and files (any case). */
const DOCS_PATH = /^\/docs/i;

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

/** TRUST_PROXY as Fastify takes it (the same forms as Express's `trust proxy`: hops, addresses, names). */
function parseTrustProxy(value: string): string | number | boolean {
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

export async function listen(app: NestFastifyApplication, config: AppConfig): Promise<string> {
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${port}`;
  new Logger('Bootstrap').log(`Listening on ${url} (console ${url}/admin, API explorer ${url}/docs)`);
  return url;
}
