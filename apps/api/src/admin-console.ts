import express, { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { problem, writeProblem } from './http/problem';

/** The built Vue app (admin-ui/dist), served at /admin with history-mode fallback to index.html. */
export function adminConsole(distDir = resolve(__dirname, '../../../../admin-ui/dist')) {
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
