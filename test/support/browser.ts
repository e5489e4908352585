import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** What a machine without the browser is told, in one line (the browser tests need it; CI installs it). */
export const CHROMIUM_MISSING =
  `chromium not found at ${CHROMIUM_PATH}: the browser tests drive Debian's Chromium. ` +
  'Install it with `apt-get install chromium` (or set CHROMIUM_PATH to a Chromium binary).';

export function hasChromium(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** An error that prints as its one line: no stack to scroll past. */
export function oneLineError(message: string): Error {
  const err = new Error(message);
  err.stack = message;
  return err;
}

/**
 * Headless Chromium for tests, as root on a machine whose only network is loopback: no sandbox (root),
 * no GPU, and none of Chromium's background connections (they would be refused, many at a time).
 */
export async function launchChromium(): Promise<Browser> {
  if (!hasChromium()) throw oneLineError(CHROMIUM_MISSING);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Where screenshots are kept (gitignored): a test artifact per page. */
export const ARTIFACTS_DIR = join(process.cwd(), 'test', 'artifacts');

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, name);
}
