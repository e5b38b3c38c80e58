/**
 * Chromium runs without its own sandbox here (root in a container without user namespaces), so
 * it must not hold the worker's secrets: its environment is an allow-list. Before, it inherited
 * the worker's whole environment, PERSONAACT_SECRET_KEY included, readable in /proc/<pid>/environ.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { chromiumEnvironment, launchChromium } from '../../activities/browser/chromium';

/** The environment of this process's Chromium children, as the kernel shows it. */
function childChromiumEnvironments(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && /chrom/i.test(stat)) found.push(readFileSync(`/proc/${pid}/environ`, 'utf8'));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

test('the browser gets an allow-listed environment: no secret key, API keys or AWS credentials', async () => {
  const secret = 'ab'.repeat(32);
  process.env.PERSONAACT_SECRET_KEY = secret;
  process.env.OPENAI_API_KEY = 'sk-not-for-chromium';
  const browser = await launchChromium();
  try {
    const environments = childChromiumEnvironments();
    assert.ok(environments.length >= 1, 'found the Chromium process');
    for (const environ of environments) {
      assert.ok(!environ.includes(secret), 'Chromium sees the secret key');
      assert.ok(!environ.includes('sk-not-for-chromium'), 'Chromium sees the API key');
      assert.match(environ, /(^|\0)PATH=/);
    }
  } finally {
    await browser.close();
    delete process.env.PERSONAACT_SECRET_KEY;
    delete process.env.OPENAI_API_KEY;
  }
  assert.deepEqual(chromiumEnvironment({ PATH: '/bin', LC_ALL: 'C', AWS_SECRET_ACCESS_KEY: 'x', PERSONAACT_SECRET_KEY_FILE: '/k' }), { PATH: '/bin', LC_ALL: 'C' });
});
