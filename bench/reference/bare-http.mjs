// The reference for the session check (issue 14): the least a Node HTTP server can do per request.
// Plain node:http, no framework, no middleware; every request gets 200 and a small JSON body
// (the size of a tiny API answer). Started by bench/lib/server.mjs (startBareHttp) like the API and
// the better-auth peer: its own process on 127.0.0.1:$PORT.
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
if (!port) throw new Error('PORT is required');

const body = JSON.stringify({ status: 'ok', service: 'bare node:http' });
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': String(Buffer.byteLength(body)),
};

const server = createServer((request, response) => {
  // Drain any body so keep-alive connections stay usable; the answer never depends on it.
  request.resume();
  response.writeHead(200, headers);
  response.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => console.log(`bare node:http ready on http://127.0.0.1:${port}`));

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
