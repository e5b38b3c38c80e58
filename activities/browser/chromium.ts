/**
 * Launches Debian's Chromium through Playwright. Browsers are never downloaded: the executable is
 * the system's (`/usr/bin/chromium` unless the caller's config says otherwise). The flags keep it
 * from reaching for Google's services, which a closed network refuses.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(options: { executablePath?: string; headless?: boolean } = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? DEFAULT_CHROMIUM;
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: run \`npm run setup\` (it installs Debian's chromium)`);
  }
  return chromium.launch({ executablePath, headless: options.headless ?? true, args: CHROMIUM_FLAGS });
}
