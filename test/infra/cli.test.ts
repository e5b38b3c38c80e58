/** The `personaact` command itself: help, errors without stack traces, any working directory. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { personaact } from './helpers';

test('--help works from outside the repository and lists the dev command', async () => {
  const help = await personaact(['--help']);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /Usage: personaact/);
  assert.match(help.stdout, /\bdev\b/);
  const devHelp = await personaact(['dev', 'up', '--help']);
  assert.equal(devHelp.code, 0);
  assert.match(devHelp.stdout, /--temporal-port/);
  assert.match(devHelp.stdout, /--data-dir/);
});

test('a bad option value is a clear error with a non-zero exit', async () => {
  const bad = await personaact(['dev', 'up', '--temporal-port', 'seven']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--temporal-port/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
  const unknown = await personaact(['no-such-command']);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /unknown command/);
});
