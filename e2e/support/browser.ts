/**
 * Debian's Chromium driven by Playwright (playwright-core: no browser download), with the flags
 * this machine needs. Every page fails its test on a console error or an uncaught page error, and
 * every captured page also fails on any WCAG 2.1 A/AA violation axe-core finds, in light and dark.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where page screenshots go (named in the README). */
export const SCREENSHOT_DIR = new URL('../../test-results/screenshots/', import.meta.url).pathname;

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/** axe-core's minified browser build, injected into each page that is checked. */
const AXE_SCRIPT = join(dirname(createRequire(import.meta.url).resolve('axe-core')), 'axe.min.js');
/** The WCAG 2.0 and 2.1 level A and AA rules. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far. */
  errors: string[];
}

/** Where pages load axe-core from: served by the test (never by Bastion), same origin, so the CSP allows it. */
const AXE_PATH = '/__e2e__/axe.min.js';

/** A page in a fresh context, with the server's Content-Security-Policy enforced as in production. */
export async function openPage(browser: Browser, baseURL: string, viewport = PHONE): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL, viewport, colorScheme: 'light' });
  await context.route(`**${AXE_PATH}`, (route) => route.fulfill({ path: AXE_SCRIPT, contentType: 'text/javascript' }));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return { context, page, errors };
}

/** One axe-core violation, reduced to what a failure message needs. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; summary: string }[];
}

/** Runs in the page: axe with the WCAG A/AA rules, answering only the violations (serialisable). */
const RUN_AXE = `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} }, resultTypes: ['violations'] })
  .then((results) => results.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? null,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({ target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))), summary: n.failureSummary ?? '' })),
  })))`;

/** The WCAG 2.1 A/AA violations axe-core finds on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate("typeof window.axe === 'object' && typeof window.axe.run === 'function'");
  if (!loaded) await page.addScriptTag({ url: AXE_PATH });
  return page.evaluate<AxeViolation[]>(RUN_AXE);
}

/** A readable list: one block per rule, with its impact, help text and the offending elements. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => {
        // axe's failure summary: "Fix any of the following:" and one line per way to fix it.
        const lines = n.summary.split('\n').map((line) => line.trim()).filter(Boolean);
        const shown = lines.length > 4 ? [...lines.slice(0, 4), `… (${lines.length - 4} more)`] : lines;
        return [`      ${n.target.join(', ')}`, ...shown.map((line) => `        ${line}`)].join('\n');
      });
      return `  - ${v.id} (${v.impact ?? 'unknown impact'}): ${v.help}\n    ${v.helpUrl}\n${nodes.join('\n')}`;
    })
    .join('\n');
}

/**
 * Screenshots of the current page at phone and desktop sizes (and dark at phone size), the phone
 * width must not overflow, and axe-core must find no WCAG 2.1 A/AA violation in either colour scheme.
 */
export async function capture(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize() ?? PHONE;
  const problems: string[] = [];
  try {
    for (const [label, size] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
      await page.setViewportSize(size);
      await page.screenshot({ path: `${SCREENSHOT_DIR}${name}-${label}.png`, fullPage: true });
      if (label === 'phone') {
        const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
        if (overflow > 0) throw new Error(`page "${name}" overflows horizontally at phone size by ${overflow}px`);
      }
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        if (scheme === 'dark' && label === 'phone') await page.screenshot({ path: `${SCREENSHOT_DIR}${name}-${label}-dark.png`, fullPage: true });
        const violations = await axeViolations(page);
        if (violations.length > 0) problems.push(`${label}, ${scheme} colour scheme:\n${describeViolations(violations)}`);
      }
    }
  } finally {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(original);
  }
  if (problems.length > 0) {
    throw new Error(`page "${name}" has accessibility violations (axe-core, ${AXE_TAGS.join(', ')}):\n${problems.join('\n')}`);
  }
}
