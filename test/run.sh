#!/usr/bin/env bash
# Runs the whole test suite with node's test runner (TypeScript through tsx).
#   bash test/run.sh            (npm test runs infra/setup.sh first)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "test/run.sh: no test files (test/**/*.test.ts) found" >&2
  exit 1
fi
exec node --import tsx --test --test-reporter=spec "${files[@]}"
