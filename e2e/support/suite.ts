/**
 * The frame of a browser test file: one Bastion node and one Chromium for the file; every browser
 * a test opens is watched and closed after it, and any console or page error fails the test.
 * Network 4xx lines are expected answers (a wrong password is a 401) and are ignored.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchChromium, openPage, type WatchedPage } from './browser.ts';
import { startE2eNode, type E2eNode } from './node.ts';

export interface E2eSuite {
  readonly node: E2eNode;
  readonly browser: Browser;
  /** A new browser context (no cookies: a device Bastion does not know), watched until the test ends. */
  newBrowser(): Promise<WatchedPage>;
  /** A unique email address for this file's node. */
  email(name: string): string;
}

const EXPECTED_NETWORK_ANSWER = /Failed to load resource: the server responded with a status of 4\d\d/;

export function e2eSuite(env: Record<string, string> = {}): E2eSuite {
  let node: E2eNode | undefined;
  let browser: Browser | undefined;
  let watched: WatchedPage[] = [];
  let counter = 0;

  beforeAll(async () => {
    [node, browser] = await Promise.all([startE2eNode({ LOGIN_IP_LIMIT: '1000', ...env }), launchChromium()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  afterEach(async () => {
    const errors = watched.flatMap((w) => w.errors).filter((e) => !EXPECTED_NETWORK_ANSWER.test(e));
    await Promise.all(watched.map((w) => w.context.close()));
    watched = [];
    expect(errors).toEqual([]);
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the e2e suite has not started (use it inside tests)');
    return value;
  };
  return {
    get node() {
      return started(node);
    },
    get browser() {
      return started(browser);
    },
    async newBrowser() {
      const opened = await openPage(started(browser), started(node).url);
      watched.push(opened);
      return opened;
    },
    email: (name) => `${name}${++counter}@example.com`,
  };
}
