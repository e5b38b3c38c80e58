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
);
