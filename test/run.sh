#!/usr/bin/env bash
# Runs the whole test suite: node's test runner (TypeScript through tsx), then pytest for trainer/.
#   bash test/run.sh            (npm test runs infra/setup.sh first)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "test/run.sh: no test files (test/**/*.test.ts) found" >&2
  exit 1
fi
node_status=0
node --import tsx --test --test-reporter=spec "${files[@]}" || node_status=$?

# The Python trainer's tests (test/trainer/test_*.py) in the .venv infra/setup.sh installs it into.
pytest_status=0
.venv/bin/python -m pytest -q -p no:cacheprovider test/trainer || pytest_status=$?

if [ "$node_status" -ne 0 ] || [ "$pytest_status" -ne 0 ]; then
  echo "test/run.sh: node tests exit $node_status, trainer pytest exit $pytest_status" >&2
  exit 1
fi
