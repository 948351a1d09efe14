import type { Browser } from 'playwright-core';
import { ManualClock } from '@app/platform';
import { bearer, register, signIn } from '../support/accounts';
import { describeInBrowser, launchChromium } from '../support/browser';
import { appWithBootstrapAdmin, signInWithMfa } from '../support/mfa-session';
import { request, startTestApp, TestApp, uniqueEmail } from '../support/test-app';

const ADMIN = { email: 'hygiene.admin@example.com', password: 'output hygiene administrator phrase' };
const FORMULA_AGENT = "Mozilla;=cmd|' /C calc'!A0";

/**
 * Issue 12, item 8: what the service hands out. Tokens, TOTP secrets and recovery codes must not
 * be cached; the API explorer runs under its own strict CSP (or not at all); a CSV export cannot
 * become a formula in a spreadsheet; auditors never see the id of a sign-in challenge.
 */
describe('attack: reading what the service hands out', () => {
  const clock = new ManualClock(new Date('2026-10-01T08:00:00.000Z'));
  let api: TestApp;
  let auditorToken: string;

  beforeAll(async () => {
    const started = await appWithBootstrapAdmin(clock, ADMIN);
    api = started.api;
    auditorToken = started.sessions.withMfa;
  });
  afterAll(() => api.close({ removeData: true }));

  it('8a. marks every /v1 answer no-store: tokens, TOTP secrets, recovery codes and errors', async () => {
    const account = await register(api.url, uniqueEmail('cache'));
    const signedIn = await signIn(api.url, account.email, account.password);
    const token = signedIn.body.token;
    const reauth = await request(`${api.url}/v1/me/reauth`, {
      method: 'POST',
      json: { password: account.password },
      headers: bearer(token),
    });
    const totpStart = await request(`${api.url}/v1/me/mfa/totp`, {
      method: 'POST',
      json: {},
      headers: bearer(token, { 'x-reauth-token': reauth.body.reauthToken }),
    });
    const refused = await request(`${api.url}/v1/me`, { headers: { authorization: 'Bearer nope' } });
    const malformed = await request(`${api.url}/v1/sessions`, {
      method: 'POST',
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    for (const response of [signedIn, reauth, totpStart, refused, malformed]) {
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    expect(totpStart.body.secret).toBeTruthy();
  });

  it('8b. serves the API explorer under its own strict Content-Security-Policy', async () => {
    const docs = await fetch(`${api.url}/docs/`);
    expect(docs.status).toBe(200);
    const csp = docs.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|\*)/);
    expect(csp).not.toMatch(/connect-src[^;]*(\*|https?:)/);
  });

  it('8c. quotes the CSV export and defuses a formula after a separator in a user agent', async () => {
    const account = await register(api.url, uniqueEmail('formula'));
    expect((await signIn(api.url, account.email, 'not the password at all', FORMULA_AGENT)).status).toBe(401);
    const csv = await fetch(`${api.url}/v1/admin/events?userId=${account.userId}&type=LoginFailed`, {
      headers: bearer(auditorToken, { accept: 'text/csv' }),
    });
    const [, row] = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(row).toContain(`"Mozilla;'=cmd|' /C calc'!A0"`);
    expect(row.split(',').every((cell) => cell.startsWith('"'))).toBe(true);
  });

  it('8d. shows auditors sign-in challenges without their ids (a live id is half a sign-in)', async () => {
    const account = await register(api.url, uniqueEmail('challenged'));
    await signInWithMfa(api.url, clock, account);
    const challenge = await signIn(api.url, account.email, account.password);
    const challengeId: string = challenge.body.challengeId;
    const list = await request(`${api.url}/v1/admin/events?userId=${account.userId}&type=ChallengeIssued`, {
      headers: bearer(auditorToken),
    });
    expect(list.body.items.length).toBeGreaterThan(0);
    for (const item of list.body.items) {
      expect(item.stream).toBe('challenge-[redacted]');
      const raw = await request(`${api.url}/v1/admin/events/${item.id}`, { headers: bearer(auditorToken) });
      expect(raw.status).toBe(200);
      expect(raw.body.data.challengeId).toBe('[redacted]');
      expect(JSON.stringify(raw.body)).not.toContain(challengeId);
    }
    const csv = await (
      await fetch(`${api.url}/v1/admin/events?userId=${account.userId}`, {
        headers: bearer(auditorToken, { accept: 'text/csv' }),
      })
    ).text();
    expect(csv).not.toContain(challengeId);
  });
});

describe('API explorer switched off', () => {
  it('8e. answers 404 for /docs and /openapi.json with API_DOCS=false (the production default)', async () => {
    const api = await startTestApp({ env: { API_DOCS: 'false' } });
    try {
      expect((await fetch(`${api.url}/docs/`)).status).toBe(404);
      expect((await fetch(`${api.url}/openapi.json`)).status).toBe(404);
    } finally {
      await api.close({ removeData: true });
    }
  });
});

describeInBrowser('API explorer in Chromium', () => {
  let api: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    api = await startTestApp();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close({ removeData: true });
  });

  it('8f. renders Swagger UI under that policy without a single violation', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${api.url}/docs/`);
    await page.getByRole('heading', { name: /Account security service/ }).waitFor();
    await page.getByText('/v1/sessions', { exact: true }).first().waitFor();
    expect(violations).toEqual([]);
    await page.close();
  });
});
