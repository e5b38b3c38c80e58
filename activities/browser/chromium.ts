/**
 * Launches Debian's Chromium through Playwright. Browsers are never downloaded: the executable is
 * the system's (`/usr/bin/chromium` unless the caller's config says otherwise). The flags keep it
 * from reaching for Google's services, which a closed network refuses. `--no-sandbox`: workers run
 * as root in containers without user namespaces, where Chromium's sandbox cannot start; the
 * isolation used instead is in docs/upgrading.md › Isolation.
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

/** `display`: the X display a headed Chromium draws on (activities/browser/virtual-display.ts). */
export async function launchChromium(options: { executablePath?: string; headless?: boolean; display?: string } = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? DEFAULT_CHROMIUM;
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: run \`npm run setup\` (it installs Debian's chromium)`);
  }
  const env = { ...chromiumEnvironment(process.env), ...(options.display ? { DISPLAY: options.display } : {}) };
  return chromium.launch({ executablePath, headless: options.headless ?? true, args: CHROMIUM_FLAGS, env });
}

/** What Chromium needs from the environment; nothing else reaches it. */
const CHROMIUM_ENV = /^(PATH|HOME|USER|LOGNAME|SHELL|TMPDIR|TZ|LANG|LANGUAGE|LC_[A-Z]+|XDG_[A-Z_]+|FONTCONFIG_[A-Z_]+|DISPLAY|WAYLAND_DISPLAY|DBUS_SESSION_BUS_ADDRESS)$/;

/**
 * Chromium's environment: an allow-list, so the worker's secrets (PERSONAACT_SECRET_KEY, AWS and
 * model API keys) never reach the browser, whose renderers handle the platform's untrusted pages
 * without Chromium's own sandbox (see docs/upgrading.md › Isolation).
 */
export function chromiumEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => CHROMIUM_ENV.test(entry[0]) && entry[1] !== undefined));
}
