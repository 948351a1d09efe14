import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp, httpAdapter } from '../../apps/api/src/app.factory';
import { Clock, loadConfig } from '@app/platform';
import { forgetMailbox, registerMailbox } from './mailboxes';

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  dataDir: string;
  /** Stops the app; keeps DATA_DIR unless `removeData` is set. */
  close(options?: { removeData?: boolean }): Promise<void>;
}

/**
 * The real API on the embedded default (SQLite file in a temp DATA_DIR), listening on a free port.
 * Only the clock may be replaced, so tests can move time instead of sleeping.
 */
export async function startTestApp(
  options: { dataDir?: string; env?: Record<string, string>; clock?: Clock; port?: number } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'accounts-e2e-'));
  // Test files register many users from 127.0.0.1: the sign-up throttle is raised unless a test sets it.
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    SIGNUP_RATE_LIMIT_PER_IP_PER_HOUR: '100000',
    ...options.env,
  });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (options.clock) builder = builder.overrideProvider(Clock).useValue(options.clock);
  const moduleRef = await builder.compile();
  const app = await configureApp(
    moduleRef.createNestApplication<NestFastifyApplication>(httpAdapter(config), { bodyParser: false, logger: false }),
    config,
  );
  // A known port when the configuration must name the app's own origin (WEBAUTHN_ORIGINS).
  await app.listen(options.port ?? 0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  registerMailbox(url, { smtpUrl: config.smtpUrl, dataDir });
  return {
    app,
    url,
    dataDir,
    close: async ({ removeData = false } = {}) => {
      forgetMailbox(url);
      await app.close();
      if (removeData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** fetch with a JSON body; returns the parsed body (or the text when it is not JSON). */
export async function request<T = any>(
  url: string,
  init: { method?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

let counter = 0;
/** A fresh, valid email per call. */
export function uniqueEmail(name = 'user'): string {
  counter += 1;
  return `${name}.${Date.now().toString(36)}.${counter}@example.com`;
}

/** NODE_ENV=production with the keys it insists on (fixed test values, never real ones). */
export const PRODUCTION_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  SECRET_BOX_KEY: Buffer.alloc(32, 1).toString('base64'),
  TOKEN_KEY: Buffer.alloc(32, 2).toString('base64'),
  AUDIT_SIGNING_KEY: Buffer.alloc(32, 3).toString('base64'),
};

export const STRONG_PASSWORD = 'correct horse battery staple';
