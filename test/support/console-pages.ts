import type { Page } from 'playwright-core';

/**
 * The console as a person reaches it: fields found by their visible labels and buttons by their
 * role and name (what a screen reader announces), never by test ids.
 */

/** The sign-in page's fields and button (owned by the sign-in page; matched loosely on purpose). */
const EMAIL = /^Email( address)?$/i;
const PASSWORD = /^Password$/i;
const SIGN_IN = /^Sign in$/;
const CODE = /code/i;
const VERIFY = /^(Verify|Sign in$)/;

/** Fills the password step of the console's sign-in page and submits it. */
export async function submitPassword(page: Page, url: string, account: { email: string; password: string }) {
  await page.goto(`${url}/admin/sign-in`);
  await page.getByLabel(EMAIL).fill(account.email);
  await page.getByLabel(PASSWORD).fill(account.password);
  await page.getByRole('button', { name: SIGN_IN }).click();
}

/**
 * Signs in to the admin console with the password, then a code from the authenticator app;
 * `nextCode` is called when the code is due (the caller moves its clock to a fresh time step).
 * Ends once the console shows who is signed in (or, for an account without a console role, once
 * the sign-in page is left: such an account is sent to its own account pages).
 */
export async function signInToConsoleByLabel(
  page: Page,
  url: string,
  account: { email: string; password: string },
  nextCode: () => string,
  { landsInConsole = true } = {},
): Promise<void> {
  await submitPassword(page, url, account);
  const app = page.getByRole('radio', { name: /authenticator app/i });
  // naive-ui hides the radio input itself under its drawn circle: attached, not visible.
  await app.waitFor({ state: 'attached' });
  if (!(await app.isChecked())) await app.check({ force: true });
  await page.getByRole('textbox', { name: CODE }).fill(nextCode());
  await page.getByRole('button', { name: VERIFY }).click();
  if (landsInConsole) await consoleSignOut(page).waitFor();
  else await page.waitForURL((next) => !next.pathname.endsWith('/sign-in'));
}

/** The header's button: named apart from every other "Sign out" a page may show. */
export function consoleSignOut(page: Page) {
  return page.getByRole('button', { name: 'Sign out of the console' });
}

/** A link of the console's menu (in the side menu, or the drawer on a phone). */
export async function openFromMenu(page: Page, name: 'Dashboard' | 'Users' | 'Event log'): Promise<void> {
  // At phone width (the console's breakpoint, 768 px) the menu is behind a button.
  if ((page.viewportSize()?.width ?? 1280) <= 768) await page.getByRole('button', { name: 'Open menu' }).click();
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true }).last().click();
}
