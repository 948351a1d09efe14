import type { Locator, Page } from 'playwright-core';

/** The page's globals as seen from page.evaluate (the service tsconfig has no DOM types). */
type PageGlobals = { document: { activeElement: unknown }; history: { state: unknown } };

/**
 * Waits until `locator`'s element has the keyboard focus, as a keyboard user waits to type (the
 * sign-in's second step, a code field emptied after a refusal). Fails naming what has it instead.
 */
export async function waitForFocus(locator: Locator, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const focused = await locator.evaluate(
      (element) => element === (globalThis as unknown as PageGlobals).document.activeElement,
    );
    if (focused) return;
    if (Date.now() > deadline) {
      const active = await locator.page().evaluate(() => {
        const element = (globalThis as unknown as PageGlobals).document.activeElement as { outerHTML?: string } | null;
        return element?.outerHTML?.slice(0, 200) ?? 'nothing';
      });
      throw new Error(`${locator} did not get the focus within ${timeoutMs} ms; focused: ${active}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** This history entry's state, as JSON: what the browser keeps of the page beside its URL. */
export function historyState(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify((globalThis as unknown as PageGlobals).history.state));
}

/** The text of an element without layout whitespace. */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}
