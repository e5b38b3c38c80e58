/**
 * The layer rules in eslint.config.js (docs/architecture.md, "Layers") fire on the imports they
 * forbid and stay quiet on the ones they allow: linted as text under each folder's path.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../infra/helpers';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function restricted(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: `${REPO_ROOT}/${file}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

const cases: [file: string, source: string, refused: boolean][] = [
  ['core/probe.ts', "import { x } from '../workflows/audit';", true],
  ['core/probe.ts', "import { x } from './rng';", false],
  ['workflows/probe.ts', "import { createPolicy } from '../activities/policy/create-policy';", true],
  ['workflows/probe.ts', "import type { SessionRef } from '../activities/browser/activities';", false],
  ['workflows/probe.ts', "import { cliConfig } from '../cli/config';", true],
  ['workflows/probe.ts', "import { FAILURE_TYPES } from '../core/failures';", false],
  ['activities/browser/probe.ts', "import { REPO_ROOT } from '../../infra/stack/paths';", true],
  ['activities/browser/probe.ts', "import { UserError } from '../../cli/errors';", true],
  ['activities/browser/probe.ts', "import { startAudit } from '../../clients/audit';", true],
  ['activities/browser/probe.ts', "import { openArtifactStore } from '../../artifacts/open-store';", false],
  ['artifacts/probe.ts', "import { resolveSecrets } from '../secrets/config';", true],
  ['secrets/probe.ts', "import { KeySegmentSchema } from '../core/primitives';", false],
  ['sandbox/probe.ts', "import { createPolicy } from '../activities/policy/create-policy';", true],
  ['clients/probe.ts', "import { UserError } from '../cli/errors';", true],
  ['clients/probe.ts', "import type { auditWorkflow } from '../workflows/audit';", false],
  ['infra/stack/probe.ts', "import { createPolicy } from '../../activities/policy/create-policy';", true],
  ['bench/probe.ts', "import { x } from '../test/cli/bad-input.test';", true],
  ['bench/probe.ts', "import { x } from '../test/training/local-backend';", true],
  ['bench/probe.ts', "import { startAuditStack } from '../test/helpers/audit-stack';", false],
];

test('each layer rule refuses what it forbids and allows what it allows', async () => {
  for (const [file, source, refused] of cases) {
    const messages = await restricted(file, `${source}\nexport const probe = 1;\n`);
    assert.equal(messages.length > 0, refused, `${file}: ${source} → ${messages.join('; ') || 'allowed'}`);
  }
});
