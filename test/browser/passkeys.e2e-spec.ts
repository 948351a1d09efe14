import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { Account, register } from '../support/accounts';
import { buildConsole, byTest, checkScreen, describeInBrowser, launchChromium } from '../support/browser';
import { waitForFocus } from '../support/entry-pages';
import { freePort } from '../support/service-process';
import { startTestApp, TestApp, uniqueEmail } from '../support/test-app';

/**
 * Passkeys as their owner uses them, in Chromium with a virtual authenticator (the DevTools
 * protocol's WebAuthn domain: a platform authenticator that holds discoverable credentials and
 * verifies its user at once). Add one after a step-up with the password and name it; sign in with
 * the password and the passkey; sign in with the passkey alone; rename it; remove it after a
 * step-up with the passkey. WebAuthn refuses IP addresses as relying-party ids, so the app is
 * opened at http://localhost:<port>, the origin the service is configured with. Fields are found by
 * their visible labels, buttons by role and name; axe-core checks each new screen.
 */
describeInBrowser('passkeys in Chromium with a virtual authenticator', () => {
  let api: TestApp;
  let origin = '';
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId = '';
  let account: Account;
  const consoleErrors: string[] = [];

  const passkeysBlock = () => page.locator(byTest('passkeys-card'));
  const passkeyRows = () => page.locator(byTest('passkey-row'));

  async function credentialsOnDevice(): Promise<{ isResidentCredential: boolean; signCount: number }[]> {
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    return credentials;
  }

  async function signInWithPassword(): Promise<void> {
    await page.goto(`${origin}/account/sign-in`);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: 'Sign out on this device' }).click();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
  }

  beforeAll(async () => {
    await buildConsole();
    const port = await freePort();
    origin = `http://localhost:${port}`;
    api = await startTestApp({
      port,
      env: {
        PUBLIC_URL: origin,
        WEBAUTHN_RP_ID: 'localhost',
        WEBAUTHN_ORIGINS: origin,
        SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
      },
    });
    account = await register(api.url, uniqueEmail('passkey-owner'), 'amber lighthouse violin 2031');
    // "localhost" may also resolve to ::1, where nothing listens: the app is on 127.0.0.1 only.
    browser = await launchChromium(['--host-resolver-rules=MAP localhost 127.0.0.1']);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    }));
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await api?.close({ removeData: true });
  });

  it('says plainly that no passkey was used when the device has none, and stays on the sign-in page', async () => {
    await page.goto(`${origin}/account/sign-in`);
    const passkeyButton = page.getByRole('button', { name: 'Sign in with a passkey' });
    await passkeyButton.waitFor();
    await checkScreen(page, 'passkeys-01-sign-in');
    // The authenticator holds no passkey for this site yet: the browser refuses (NotAllowedError).
    await passkeyButton.click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The passkey prompt was closed or timed out. Nothing was changed');
    expect(new URL(page.url()).pathname).toBe('/account/sign-in');
    await checkScreen(page, 'passkeys-02-sign-in-prompt-closed');
  }, 120_000);

  it('adds a passkey after a step-up with the password, and names it', async () => {
    await signInWithPassword();
    await passkeysBlock().waitFor();
    expect(await passkeysBlock().getByText('You have no passkeys yet.').count()).toBe(1);

    await page.getByRole('button', { name: 'Add a passkey' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a passkey' });
    await dialog.waitFor();
    await dialog.getByLabel('Your password').fill(account.password);
    await checkScreen(page, 'passkeys-03-add-reauth');
    await dialog.getByRole('button', { name: 'Continue' }).click();

    // The virtual authenticator answers the browser's prompt at once; then the name is asked.
    const name = dialog.getByLabel('Passkey name');
    await name.waitFor();
    expect(await name.inputValue()).toMatch(/ on Linux$/); // the browser and system to start from
    await name.fill('Test laptop');
    await checkScreen(page, 'passkeys-04-add-name');
    await dialog.getByRole('button', { name: 'Save passkey' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.locator(byTest('security-notice')).waitFor();
    expect(await page.locator(byTest('security-notice')).textContent()).toContain('Passkey “Test laptop” added.');
    await passkeyRows().first().waitFor();
    expect(await passkeyRows().count()).toBe(1);
    expect(await passkeyRows().first().textContent()).toContain('Test laptop');
    expect(await passkeyRows().first().textContent()).toContain('Last used never');
    expect(await page.getByRole('button', { name: 'Rename Test laptop' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Remove Test laptop' }).count()).toBe(1);
    // A passkey is a second factor: the "password alone" warning is gone.
    expect(await page.locator(byTest('mfa-none-warning')).count()).toBe(0);
    expect(await credentialsOnDevice()).toEqual([expect.objectContaining({ isResidentCredential: true })]);
    await checkScreen(page, 'passkeys-05-security-with-passkey');
  }, 120_000);

  it('signs in with the password, then the passkey as the second step', async () => {
    await signOut();
    await signInWithPassword();
    const usePasskey = page.getByRole('button', { name: 'Use a passkey' });
    // The second step starts on the passkey, the account's preferred method: Enter or a tap uses it.
    await waitForFocus(usePasskey);
    // The only method: no choice to make, so no picker.
    expect(await page.getByRole('radio').count()).toBe(0);
    expect(await page.getByRole('textbox').count()).toBe(0); // nothing to type
    await checkScreen(page, 'passkeys-06-second-step');
    await usePasskey.click();
    await passkeyRows().first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/account/security');
    // The passkey was used just now.
    expect(await passkeyRows().first().textContent()).not.toContain('Last used never');
  }, 120_000);

  it('signs in with the passkey alone, typing nothing', async () => {
    await signOut();
    expect(await page.getByLabel('Email').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await passkeyRows().first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/account/security');
    expect(await page.locator(byTest('account-user')).textContent()).toContain(account.email);
    expect((await credentialsOnDevice())[0].signCount).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('renames the passkey', async () => {
    await page.getByRole('button', { name: 'Rename Test laptop' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename passkey' });
    const name = dialog.getByLabel('Passkey name');
    await name.waitFor();
    expect(await name.inputValue()).toBe('Test laptop');
    await name.fill('Work laptop');
    await checkScreen(page, 'passkeys-07-rename');
    await dialog.getByRole('button', { name: 'Save name' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Remove Work laptop' }).waitFor();
    expect(await passkeyRows().first().textContent()).toContain('Work laptop');
    expect(await page.getByRole('button', { name: 'Rename Test laptop' }).count()).toBe(0);
  }, 120_000);

  it('fits a phone', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await passkeysBlock().scrollIntoViewIfNeeded();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a passkey' });
    await dialog.getByRole('button', { name: 'Use a passkey' }).waitFor();
    await checkScreen(page, 'passkeys-08-add-reauth-with-passkey');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 120_000);

  it('removes the passkey after a step-up with the passkey', async () => {
    await page.getByRole('button', { name: 'Remove Work laptop' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove passkey' });
    await dialog.waitFor();
    // The password is no proof once a second factor is on; the only one is this passkey.
    expect(await dialog.getByLabel('Your password').count()).toBe(0);
    expect(await dialog.locator(byTest('remove-passkey-warning')).textContent()).toContain('only second factor');
    await checkScreen(page, 'passkeys-09-remove-reauth');
    await dialog.getByRole('button', { name: 'Use a passkey' }).click();
    const remove = dialog.getByRole('button', { name: 'Remove passkey' });
    await remove.waitFor();
    await remove.click();
    await dialog.waitFor({ state: 'detached' });

    await page.locator(byTest('passkeys-empty')).waitFor();
    expect(await passkeyRows().count()).toBe(0);
    expect(await page.locator(byTest('security-notice')).textContent()).toContain('Passkey “Work laptop” removed.');
    await page.locator(byTest('mfa-none-warning')).waitFor();
    await checkScreen(page, 'passkeys-10-removed');

    // Back to the password alone: it signs straight in.
    await signOut();
    await signInWithPassword();
    await page.locator(byTest('passkeys-empty')).waitFor();
    await page.setViewportSize({ width: 375, height: 800 });
    await signOut();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 120_000);

  it('logged no errors in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
