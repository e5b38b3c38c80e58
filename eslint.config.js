import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.personaact/', '.venv/', 'sandbox/public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // core/ and workflows/ must stay deterministic and free of I/O so workflows can import them.
    files: ['core/**/*.ts', 'workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process'] }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Use workflow time or pass time in.' }, { object: 'Math', property: 'random', message: 'Use core/rng.' }],
      'no-restricted-globals': ['error', 'process'],
    },
  },
  // Layers (docs/architecture.md, "Layers"): what each folder may import from the others.
  ...layers({
    core: [{ regex: '^\\.\\./', message: 'core/ imports nothing of the project outside core/.' }],
    workflows: [
      { regex: '^\\.\\./(?!core/|activities/)', message: 'workflows/ imports only core/, workflows/ and types from activities/.' },
      { regex: '^\\.\\./activities/', allowTypeImports: true, message: 'workflows/ may import only types from activities/ (constants they share live in core/).' },
    ],
    activities: [{ regex: '^(\\.\\./)+(cli|infra|clients|workers|bench|test)/', message: 'activities/ never imports cli/, infra/, clients/, workers/, bench/ or test/: the worker (workers/) injects what they need.' }],
    artifacts: [{ regex: '^\\.\\./(?!core/)', message: 'artifacts/ imports only core/.' }],
    secrets: [{ regex: '^\\.\\./(?!core/)', message: 'secrets/ imports only core/.' }],
    'behaviour-logs': [{ regex: '^\\.\\./(?!core/)', message: 'behaviour-logs/ imports only core/.' }],
    sandbox: [{ regex: '^(\\.\\./)+(?!core/|sandbox/|secrets/)[a-z-]+/', message: 'sandbox/ (the platform) imports only core/ and secrets/ (its admin token): the agent side never leaks into it.' }],
    evaluation: [{ regex: '^(\\.\\./)+(cli|infra|clients|workers|bench|test)/', message: 'evaluation/ is a library for the CLI: it never imports cli/, infra/, clients/, workers/, bench/ or test/.' }],
    clients: [{ regex: '^\\.\\./(cli|activities|infra|workers|sandbox|bench|test)/', message: 'clients/ imports only core/, workflows/ (types, definitions) and secrets/.' }],
    infra: [{ regex: '^(\\.\\./)+(activities|cli|clients|workers|bench|test)/', message: 'infra/ owns processes; it never imports activities/, cli/, clients/, workers/, bench/ or test/.' }],
    bench: [
      { regex: '\\.test(\\.ts)?$', message: 'bench/ never imports a test file; shared stacks live in test/helpers/.' },
      { regex: '^\\.\\./test/(?!helpers/)', message: 'bench/ imports from test/ only the shared stacks in test/helpers/.' },
    ],
  }),
);

/** One no-restricted-imports block per folder (the TypeScript rule, so a pattern can allow `import type`). */
function layers(rules) {
  return Object.entries(rules).map(([folder, patterns]) => ({
    files: [`${folder}/**/*.ts`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  }));
}
