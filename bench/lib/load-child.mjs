// Runs autocannon in its own process (so the load generator does not share an event loop with the
// bench driver) and prints autocannon's result as JSON on stdout.
// argv[2]: path of a JSON config { url, connections, duration?, amount?, timeout?, items: [...] }.
// Each item is { method, path, headers?, body?, totpSecret? }; items are used round-robin, so with
// `amount: items.length` every item is sent exactly once. With `totpSecret` the body is
// { method: 'totp', code } using the code of the NEXT 30 s step (accepted inside the +/-1 window and
// always newer than the step used at enrolment).
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { totp } from './totp.mjs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const items = config.items;
let next = 0;

const request = {
  setupRequest(req) {
    const item = items[next++ % items.length];
    req.method = item.method;
    req.path = item.path;
    req.headers = { 'content-type': 'application/json', ...(item.headers ?? {}) };
    if (item.totpSecret) {
      req.body = JSON.stringify({ method: 'totp', code: totp(item.totpSecret, new Date(Date.now() + 30_000)) });
    } else if (item.body !== undefined) {
      req.body = JSON.stringify(item.body);
    } else {
      delete req.body;
    }
    return req;
  },
};

const options = {
  url: config.url,
  connections: config.connections,
  timeout: config.timeout ?? 30,
  requests: [request],
};
if (config.amount) options.amount = config.amount;
else options.duration = config.duration ?? 10;

const result = await autocannon(options);
process.stdout.write(JSON.stringify(result));
