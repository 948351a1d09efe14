import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { problem, writeProblem } from './http/problem';

/**
 * The project root: the nearest folder above this file holding admin-ui (from src/ or dist/). The
 * image has only admin-ui/dist there (no package.json), so the folder itself is what is looked for;
 * the working directory is only the last resort.
 */
function projectRoot(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'admin-ui'))) return dir;
  }
  return process.cwd();
}

const ONE_HOUR_MS = 3_600_000;
/** Vite names each built asset by its content's hash (a changed file gets a new name); also its .br/.gz copy. */
const HASHED_ASSET = /[\\/]assets[\\/][^\\/]+-[\w-]{8}\.\w+(?:\.br|\.gz)?$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The built Vue app (admin-ui/dist) as a Fastify plugin, registered under a prefix (/admin,
 * /account): its files with a 1 h max-age (a year and `immutable` for the hashed files under
 * assets/, whose name changes with their content), and for any other GET or HEAD under the prefix
 * the app's index.html with `Cache-Control: no-cache` (history-mode routes). The build writes
 * Brotli and gzip copies of its text files (admin-ui/build/precompress.ts): the copy the browser
 * accepts is sent, with `Vary: Accept-Encoding`, so nothing is compressed per request. While the
 * console is not built, every request under the prefix gets a problem+json 404. The folder is
 * looked at per request, so a build made while the service runs is served.
 */
export function adminConsole(distDir = join(projectRoot(), 'admin-ui', 'dist')) {
  const index = join(distDir, 'index.html');
  return async function consolePlugin(scope: FastifyInstance): Promise<void> {
    scope.addHook('onRequest', (_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      if (existsSync(index)) return done();
      writeProblem(reply, problem(404, 'not_found', 'The console is not built: run npm run build:ui.'));
    });
    await scope.register(fastifyStatic, {
      root: distDir,
      prefix: '/',
      index: false,
      maxAge: ONE_HOUR_MS,
      dotfiles: 'ignore',
      redirect: false,
      preCompressed: true,
      setHeaders: (reply, path) => {
        if (HASHED_ASSET.test(path)) reply.header('Cache-Control', IMMUTABLE);
      },
      suppressWarning: true,
    });
    // No such file: the app's own routes (GET and HEAD); anything else is an unknown resource.
    scope.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        writeProblem(reply, problem(404, 'not_found', 'No such resource.'));
        return;
      }
      reply.header('Cache-Control', 'no-cache');
      return reply.sendFile('index.html', { cacheControl: false });
    });
  };
}
