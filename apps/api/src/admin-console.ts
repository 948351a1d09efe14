import express, { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { problem, writeProblem } from './http/problem';

/** The repository root: the nearest folder above this file holding admin-ui (from src/ or dist/). */
function projectRoot(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'admin-ui', 'package.json'))) return dir;
  }
  return process.cwd();
}

/** The built Vue app (admin-ui/dist), served at /admin with history-mode fallback to index.html. */
export function adminConsole(distDir = join(projectRoot(), 'admin-ui', 'dist')) {
  const index = join(distDir, 'index.html');
  const assets = express.static(distDir, { index: false, fallthrough: true, maxAge: '1h' });
  return (request: Request, response: Response, next: NextFunction) => {
    if (!existsSync(index)) {
      writeProblem(response, problem(404, 'not_found', 'The console is not built: run npm run build:ui.'));
      return;
    }
    assets(request, response, () => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return next();
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(index);
    });
  };
}
