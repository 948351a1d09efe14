import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { AuditChainer, AuditSigningKey, verifyExport } from '@app/audit-trail';
import { EventStore } from '@app/event-store';
import { ManualClock } from '@app/platform';
import type { Account } from '../support/accounts';
import { buildConsole, byTest, checkScreen, describeInBrowser, launchChromium } from '../support/browser';
import { openFromMenu, signInToConsoleByLabel } from '../support/console-pages';
import { appWithBootstrapAdmin, auditorWithMfa } from '../support/mfa-session';
import { totp } from '../support/rfc6238';
import { editEventIp } from '../support/tamper';
import type { TestApp } from '../support/test-app';

/**
 * The audit chain as an auditor sees it in the console: the dashboard says the log is intact and
 * each event is signed; after one event is edited in the real SQLite file, the dashboard says it
 * is broken and where, and that event's row (and the later ones) say they do not match.
 */
describeInBrowser('audit log integrity in the console', () => {
  const clock = new ManualClock(new Date(Date.now() - 3_600_000));
  let api: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let auditor: Account;
  let auditorSecret: string;

  async function signIn(width: number): Promise<void> {
    await context?.close();
    context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    await signInToConsoleByLabel(page, api.url, auditor, () => {
      clock.advance(30_000);
      return totp(auditorSecret, clock.now());
    });
  }

  const auditStatus = () => page.locator(byTest('audit-status'));
  const rowOf = (position: string) => page.locator(`${byTest('timeline-row')}[data-event-id="${position}"]`);

  beforeAll(async () => {
    await buildConsole();
    const started = await appWithBootstrapAdmin(
      clock,
      { email: 'chain.admin@example.com', password: 'chain admin passphrase' },
      { AUDIT_CHECKPOINT_EVERY: '5' },
    );
    api = started.api;
    const made = await auditorWithMfa(api.url, clock, started.sessions.withMfa);
    auditor = made.account;
    auditorSecret = made.sessions.secret;
    await api.app.get(AuditChainer).sealNow();
    browser = await launchChromium();
  }, 300_000); // the console build may wait for another run's build on a busy machine

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await api?.close({ removeData: true });
  });

  it('says the log is intact on the dashboard, and that each event is signed', async () => {
    await signIn(1280);
    await auditStatus().waitFor();
    expect(await auditStatus().textContent()).toBe('Intact');
    expect(await page.locator(byTest('audit-log')).textContent()).toContain('npm run cli -- verify-export');
    await checkScreen(page, 'integrity-01-dashboard-intact');

    await openFromMenu(page, 'Event log');
    await page.waitForURL('**/admin/events');
    const marks = page.locator(byTest('timeline-integrity'));
    await marks.first().waitFor();
    const words = await marks.allTextContents();
    expect(words.length).toBeGreaterThan(0);
    // Events since the last checkpoint (the auditor's own sign-in) are not signed yet; the rest are.
    expect(words.every((word) => ['Signed', 'Not signed yet'].includes(word.trim()))).toBe(true);
    expect(words.some((word) => word.trim() === 'Signed')).toBe(true);
    await checkScreen(page, 'integrity-02-events-signed');

    // The signed export, downloaded as an auditor would, checks out with the public key alone.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export signed JSON Lines' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('security-events.jsonl');
    const lines = readFileSync((await download.path())!, 'utf8').split('\n');
    const report = await verifyExport(lines, api.app.get(AuditSigningKey).publicKey);
    expect(report).toMatchObject({ status: 'verified', firstProblem: null });
    expect(report.verified).toBeGreaterThan(0);
  }, 60_000);

  it('says where the log stopped matching once an event is edited in the database file', async () => {
    await api.app.get(AuditChainer).sealNow();
    const events = await api.app.get(EventStore).readAll({ maxCount: 100_000 });
    const target = events[4];
    editEventIp(api.dataDir, target.position);

    await page.goto(`${api.url}/admin`);
    await auditStatus().waitFor();
    expect(await auditStatus().textContent()).toBe('Broken');
    const firstBroken = page.locator(byTest('audit-first-broken'));
    expect(await firstBroken.textContent()).toContain(`From event 5 (position ${target.position})`);
    await checkScreen(page, 'integrity-03-dashboard-broken');

    await openFromMenu(page, 'Event log');
    await page.waitForURL('**/admin/events');
    const loadMore = page.getByRole('button', { name: 'Load more' });
    await page.locator(byTest('timeline-integrity')).first().waitFor();
    while ((await rowOf(target.position).count()) === 0 && (await loadMore.count()) > 0) await loadMore.click();
    expect(await rowOf(target.position).locator(byTest('timeline-integrity')).textContent()).toBe(
      'Does not match the signed log',
    );
    expect(await rowOf(events[5].position).locator(byTest('timeline-integrity')).textContent()).toBe(
      'Does not match the signed log',
    );
    expect(await rowOf(events[3].position).locator(byTest('timeline-integrity')).textContent()).toBe('Signed');
    await checkScreen(page, 'integrity-04-events-broken');

    await signIn(375);
    await auditStatus().waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    await checkScreen(page, 'integrity-05-dashboard-broken-phone-sign-in');
  }, 90_000);
});
