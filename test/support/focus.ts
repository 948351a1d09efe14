import type { Locator } from 'playwright-core';

/** The focused element, seen from the page (the service tsconfig has no DOM types). */
type WithFocus = { document: { activeElement: unknown } };

/** Whether `locator`'s element has the keyboard focus now. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === (globalThis as unknown as WithFocus).document.activeElement);
}

/**
 * Waits until `locator`'s element has the keyboard focus, as a keyboard user waits to type: focus
 * moves into a dialog once it is shown, and back to its button once it has closed.
 */
export async function waitForFocus(locator: Locator, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isFocused(locator))) {
    if (Date.now() > deadline) {
      const focused = await locator.page().evaluate(() => {
        const active = (globalThis as unknown as { document: { activeElement: { outerHTML?: string } | null } })
          .document.activeElement;
        return active?.outerHTML?.slice(0, 200) ?? 'nothing';
      });
      throw new Error(`${locator} did not get the focus within ${timeoutMs} ms; focused: ${focused}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
