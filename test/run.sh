#!/usr/bin/env bash
# Runs the tests: node's test runner (TypeScript through tsx), then pytest for trainer/.
#   bash test/run.sh            the whole suite (what CI runs; npm test runs infra/setup.sh first)
#   bash test/run.sh --fast     the edit loop (npm run test:fast): unit tests and in-process tests that
#                               need no Temporal server, Chromium, S3, dev stack or CLI process; no pytest
# Per-file durations: node --import tsx --test --test-reporter=spec FILE (docs/testing.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The fast set is listed by folder or file, so a new test file joins the whole suite by default and
# the fast one only when it is as cheap as these.
FAST=(
  test/core test/clients test/lint test/logs test/personas test/interview test/sandbox test/policy
  test/evaluation test/examples test/artifacts/local-store.test.ts test/artifacts/open-store.test.ts
  test/secrets/keyring.test.ts test/secrets/logger.test.ts test/secrets/payload-codec.test.ts
  test/secrets/storage-state.test.ts test/training/local-backend.test.ts test/training/sagemaker-backend.test.ts
)
# Not here: tests that spawn the personaact CLI many times (test/cli/, test/infra/cli, test/secrets/cli):
# each start compiles the CLI through tsx, seconds of CPU per call.

fast=false
if [ "${1:-}" = "--fast" ]; then fast=true; fi
if $fast; then
  mapfile -t files < <(find "${FAST[@]}" -name '*.test.ts' | sort)
else
  mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
fi
if [ "${#files[@]}" -eq 0 ]; then
  echo "test/run.sh: no test files (test/**/*.test.ts) found" >&2
  exit 1
fi
# Two test files at a time: most of a file's time is waiting (on Temporal, a page's clock, a
# subprocess), so two overlap well even on 2 cores; every file uses its own ports and folders.
node_status=0
node --import tsx --test --test-concurrency=2 --test-reporter=spec "${files[@]}" || node_status=$?
if $fast; then exit "$node_status"; fi

# The Python trainer's tests (test/trainer/test_*.py) in the .venv infra/setup.sh installs it into.
pytest_status=0
.venv/bin/python -m pytest -q -p no:cacheprovider test/trainer || pytest_status=$?

if [ "$node_status" -ne 0 ] || [ "$pytest_status" -ne 0 ]; then
  echo "test/run.sh: node tests exit $node_status, trainer pytest exit $pytest_status" >&2
  exit 1
fi
