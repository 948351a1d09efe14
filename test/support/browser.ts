import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { buildOnce } from './build-once';

const ROOT = join(__dirname, '..', '..');
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'screenshots');

/** Debian's Chromium, or CHROMIUM_PATH; never a downloaded browser. */
export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean,
  ) as string[];
  return candidates.find((path) => existsSync(path)) ?? null;
}

/**
 * Browser suites run where Chromium is installed. Elsewhere they are reported as skipped, by
 * name, with the command that installs it; under CI=true a missing Chromium fails the run.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (chromiumPath()) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Chromium (CI installs it: apt-get install -y chromium)', () => {
        throw new Error('Chromium not found at CHROMIUM_PATH or /usr/bin/chromium');
      });
    });
    return;
  }
  describe.skip(`${name} (skipped: no Chromium; install with: apt-get update && apt-get install -y chromium)`, () => {
    it('runs in Chromium', () => undefined);
  });
}

/** `extraArgs` adds Chromium switches (e.g. --host-resolver-rules for a test that needs a host name). */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath()!,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

/** Builds the console into admin-ui/dist unless it was built from the same inputs (build-once.ts). */
export async function buildConsole(): Promise<void> {
  await buildOnce({
    npmArgs: ['run', 'build', '--workspace', 'admin-ui'],
    output: 'admin-ui/dist',
    // Its sources, the password policy it shares with the API, and what is installed.
    inputs: [
      'admin-ui/src',
      'admin-ui/build',
      'admin-ui/index.html',
      'admin-ui/vite.config.ts',
      'admin-ui/package.json',
      'libs/security/src/password',
      'package-lock.json',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export const byTest = (id: string) => `[data-test="${id}"]`;

/**
 * Waits until the number of elements matching `locator` is `expected` (or satisfies it), as a
 * person waits for a list to settle before reading or clicking it. Throws with the last count.
 */
export async function waitForCount(
  locator: Locator,
  expected: number | ((count: number) => boolean),
  timeoutMs = 15_000,
): Promise<number> {
  const matches = typeof expected === 'number' ? (count: number) => count === expected : expected;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await locator.count();
    if (matches(count)) return count;
    if (Date.now() > deadline)
      throw new Error(`${locator} stayed at ${count} elements for ${timeoutMs} ms (wanted ${expected})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Where the axe-core source is served from, on the page's own origin (see expectNoAxeViolations). */
const AXE_PATH = '/__browser-test__/axe.min.js';
let axeSource: string | null = null;

/**
 * Runs axe-core's WCAG 2.0 and 2.1 A and AA rules on the page as it is now and fails with every violation
 * (rule id, what it asks for, the offending elements). The source is injected once per document.
 * The app's CSP (script-src 'self') refuses an inline script, and the policy stays on: the source
 * is answered by the test itself (page.route) at a path of the page's own origin and added as a
 * script tag with that URL.
 */
export async function expectNoAxeViolations(page: Page, screen = new URL(page.url()).pathname): Promise<void> {
  // A function, not a string: the page's CSP forbids eval (and the service tsconfig has no DOM types).
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) {
    axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    const url = new URL(AXE_PATH, page.url()).href;
    const body = axeSource;
    await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'application/javascript', body }));
    try {
      await page.addScriptTag({ url });
    } finally {
      await page.unroute(url);
    }
  }
  // What a person sees once the page has settled: a message fading in has too little contrast for
  // a moment, which axe would measure on a busy machine. Endless animations (spinners) are not awaited.
  await page.evaluate(async () => {
    type Running = {
      finished: Promise<unknown>;
      effect: { getComputedTiming(): { endTime?: number | string } } | null;
    };
    const { document } = globalThis as unknown as { document: { getAnimations(): Running[] } };
    const finite = document
      .getAnimations()
      .filter((animation) => Number.isFinite(Number(animation.effect?.getComputedTiming().endTime)));
    await Promise.all(finite.map((animation) => animation.finished.catch(() => undefined)));
  });
  const violations = await page.evaluate(async (): Promise<AxeViolation[]> => {
    type AxeResult = {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    };
    const { axe, document } = globalThis as unknown as {
      axe?: { run(context: unknown, options: unknown): Promise<AxeResult> };
      document: unknown;
    };
    if (!axe) throw new Error('axe-core did not load into the page');
    const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.map(String).join(' ')),
    }));
  });
  if (violations.length === 0) return;
  const lines = violations.map((v) => `- ${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n    ${v.targets.join('\n    ')}`);
  throw new Error(`axe found ${violations.length} WCAG 2.1 A/AA violation(s) on ${screen}:\n${lines.join('\n')}`);
}

/** The two widths every screen is looked at: a laptop and a small phone. */
export const SCREEN_WIDTHS = [1280, 375] as const;

/**
 * Checks one screen as people see it, at desktop and phone width: axe-core (WCAG 2.1 A/AA) at each
 * width and a full-page screenshot `<name>-1280.png` / `<name>-375.png`. The page is left at the
 * width it had. A dialog is checked with the page behind it, as it is shown.
 */
export async function checkScreen(page: Page, name: string): Promise<void> {
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  try {
    for (const width of SCREEN_WIDTHS) {
      await page.setViewportSize({ width, height: width === 375 ? 800 : 900 });
      await expectNoAxeViolations(page, `${name} at ${width} px`);
      await screenshot(page, `${name}-${width}`);
    }
  } finally {
    await page.setViewportSize(original);
  }
}
