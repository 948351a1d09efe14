import type { Browser, BrowserContext, Page } from 'playwright-core';
import { IdentityEvent } from '@app/identity-events';
import { ManualClock } from '@app/platform';
import { Account, bearer, register, tokenFor } from '../support/accounts';
import { buildConsole, byTest, checkScreen, describeInBrowser, launchChromium } from '../support/browser';
import { signInToConsoleByLabel } from '../support/console-pages';
import { appWithBootstrapAdmin, MfaSessions } from '../support/mfa-session';
import { totp } from '../support/rfc6238';
import { request, TestApp, uniqueEmail } from '../support/test-app';

/**
 * An administrator erases a person's data from the console (crypto-shredding): the dialog asks
 * for a reason and the address typed back, and the page then says the account was erased and
 * offers no more actions. The API confirms it. Fields are found by their labels and buttons by
 * role and name, as a person (or a screen reader) finds them.
 */
describeInBrowser('erasing personal data in the console', () => {
  const clock = new ManualClock(new Date(Date.now() - 3_600_000));
  let api: TestApp;
  let browser: Browser;
  let admin: Account;
  let adminMfa: MfaSessions;
  let person: Account;
  let personToken: string;

  const adminGet = (path: string) => request(`${api.url}${path}`, { headers: bearer(adminMfa.withMfa) });

  async function signedInAdmin(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC' });
    const page = await context.newPage();
    await signInToConsoleByLabel(page, api.url, admin, () => {
      clock.advance(30_000);
      return totp(adminMfa.secret, clock.now());
    });
    return { context, page };
  }

  beforeAll(async () => {
    await buildConsole();
    const started = await appWithBootstrapAdmin(clock, {
      email: 'erasure.console.admin@example.com',
      password: 'erasure console admin passphrase',
    });
    api = started.api;
    admin = started.admin;
    adminMfa = started.sessions;
    person = await register(api.url, uniqueEmail('erase.in.console'));
    personToken = await tokenFor(api.url, person);
    browser = await launchChromium();
  }, 300_000); // the console build may wait for another run's build on a busy machine

  afterAll(async () => {
    await browser?.close();
    await api?.close({ removeData: true });
  });

  it('lets an admin erase a person with a reason and the address typed back, then shows the account as erased', async () => {
    const { context, page } = await signedInAdmin();
    try {
      await page.goto(`${api.url}/admin/users/${person.userId}`);
      await page.getByRole('heading', { name: person.email }).waitFor();
      await page.waitForSelector(byTest('timeline-row'));
      expect(await page.getByText('Personal data erased on').count()).toBe(0);

      await page.getByRole('button', { name: `Erase personal data of ${person.email}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Erase personal data' });
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain(person.email);
      expect(await dialog.textContent()).toContain('cannot be undone');
      const erase = dialog.getByRole('button', { name: 'Erase personal data', exact: true });
      expect(await erase.isDisabled()).toBe(true);

      const reason = dialog.getByLabel('Reason (recorded in the audit log)');
      const typedEmail = dialog.getByLabel(`Type ${person.email} to confirm`);
      await reason.fill('Erasure request by the person, ticket 4711');
      expect(await erase.isDisabled()).toBe(true); // the address is not typed back yet
      await typedEmail.fill('someone.else@example.com');
      expect(await erase.isDisabled()).toBe(true);
      await typedEmail.fill(person.email.toUpperCase());
      expect(await erase.isDisabled()).toBe(false);
      await checkScreen(page, 'erasure-01-dialog');

      await erase.click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByText('Personal data erased on').waitFor();
      const banner = page.locator(byTest('erased-banner'));
      expect(await banner.textContent()).toContain(
        "The account's events remain in the audit log; its email, addresses and devices are gone.",
      );
      await page.getByRole('heading', { name: 'Erased account' }).waitFor();
      expect(await page.getByText('The personal data of this account was erased.').count()).toBe(1);
      // Nothing is left to act on: no actions at all.
      expect(await page.getByRole('button', { name: /^Erase personal data/ }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Reset two-step verification/ }).count()).toBe(0);
      expect(await page.getByRole('group', { name: /^Actions on/ }).count()).toBe(0);
      // The history stays, with the erasure at its top and the reason in its words.
      const erasedRow = page.locator(
        `${byTest('timeline-row')}[data-event-type="${IdentityEvent.PersonalDataErased}"]`,
      );
      await erasedRow.first().waitFor();
      expect(await erasedRow.first().textContent()).toContain('ticket 4711');
      expect(await page.locator(`${byTest('timeline-row')}[data-event-type="UserRegistered"]`).count()).toBe(1);
      expect(await page.textContent('body')).not.toContain(person.email);
      // The erasure's actor is the admin, named by their address.
      expect(await erasedRow.first().locator(byTest('timeline-actor')).textContent()).toBe(admin.email);
      await checkScreen(page, 'erasure-02-erased-account');

      // A fresh visit shows the same (it is the API's state, not the page's memory).
      await page.reload();
      await page.getByText('Personal data erased on').waitFor();
      expect(await page.getByRole('group', { name: /^Actions on/ }).count()).toBe(0);
    } finally {
      await context.close();
    }

    const erased = await adminGet(`/v1/admin/users/${person.userId}`);
    expect(erased.status).toBe(200);
    expect(typeof erased.body.erasedAt).toBe('string');
    expect(Number.isNaN(Date.parse(erased.body.erasedAt))).toBe(false);
    expect(erased.body.email.address).toBeNull();
    expect(erased.body.roles).toEqual([]);
    expect(erased.body.sessions).toEqual([]);
    expect(JSON.stringify(erased.body)).not.toContain(person.email);
    // Their session ended with the erasure; the list no longer shows them.
    expect((await request(`${api.url}/v1/me`, { headers: bearer(personToken) })).status).toBe(401);
    const listed = await adminGet(`/v1/admin/users?q=${encodeURIComponent(person.email)}`);
    expect(listed.body.items).toEqual([]);
  }, 90_000);

  it('explains why an admin cannot erase their own account, and leaves it as it was', async () => {
    const { context, page } = await signedInAdmin();
    try {
      await page.goto(`${api.url}/admin/users/${admin.userId}`);
      await page.getByRole('heading', { name: admin.email }).waitFor();
      await page.getByRole('button', { name: `Erase personal data of ${admin.email}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Erase personal data' });
      await dialog.getByLabel('Reason (recorded in the audit log)').fill('Trying to erase myself');
      await dialog.getByLabel(`Type ${admin.email} to confirm`).fill(admin.email);
      await dialog.getByRole('button', { name: 'Erase personal data', exact: true }).click();
      await dialog.getByRole('alert').waitFor();
      expect(await dialog.getByRole('alert').textContent()).toBeTruthy();
      await checkScreen(page, 'erasure-03-own-account-refused');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await page.getByText('Personal data erased on').count()).toBe(0);
    } finally {
      await context.close();
    }
    const self = await adminGet(`/v1/admin/users/${admin.userId}`);
    expect(self.body.erasedAt ?? null).toBeNull();
    expect(self.body.email.address).toBe(admin.email);
  }, 60_000);

  it('lets a person close their own account: a fresh password, the address typed back, then the sign-in page says so', async () => {
    const leaving = await register(api.url, uniqueEmail('closes.own.account'));
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC' });
    const page = await context.newPage();
    try {
      await page.goto(`${api.url}/account/sign-in`);
      await page.getByLabel('Email').fill(leaving.email);
      await page.getByLabel('Password', { exact: true }).fill(leaving.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/account/security');

      await page.getByRole('button', { name: 'Close account', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Close your account' });
      await dialog.waitFor();
      await dialog.getByLabel('Your password').fill(leaving.password);
      await dialog.getByRole('button', { name: 'Continue' }).click();
      const typed = dialog.getByLabel(`Type ${leaving.email} to confirm`);
      await typed.waitFor();
      expect(await dialog.textContent()).toContain('cannot be undone');
      await checkScreen(page, 'erasure-04-close-own-account');
      const close = dialog.getByRole('button', { name: 'Close account and erase my data' });
      expect(await close.isDisabled()).toBe(true);
      await typed.fill(leaving.email.toUpperCase());
      await close.click();

      await page.waitForURL((url) => url.pathname === '/account/sign-in');
      await page.getByText('Your account was closed and your personal data erased.').waitFor();
      await checkScreen(page, 'erasure-05-account-closed');
    } finally {
      await context.close();
    }
    const seen = await adminGet(`/v1/admin/users/${leaving.userId}`);
    expect(seen.body.erasedAt).toEqual(expect.any(String));
    expect(seen.body.email.address).toBeNull();
    const events = await adminGet(`/v1/admin/users/${leaving.userId}/events`);
    expect(events.body.items.map((e: { type: string }) => e.type)).toContain(IdentityEvent.PersonalDataErased);
  }, 60_000);
});
