#!/usr/bin/env bash
# `npm test`: the whole suite on real parts. Installs what it needs (Debian's Chromium, the Kafka broker jars
# from Maven Central), then runs typecheck, lint, format check, unit tests, integration tests (real Postgres
# and Kafka, started by the suite), the production build and the Playwright e2e tests. Every step runs even
# after a failure, so one run shows everything that is wrong; the exit code is non-zero if any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
results_dir=test-results
mkdir -p "$results_dir"
failed_steps=()

step() {
  local name=$1
  shift
  echo
  echo "=== $name: $*"
  local started=$SECONDS
  if "$@"; then
    echo "=== $name: ok ($((SECONDS - started)) s)"
  else
    echo "=== $name: FAILED ($((SECONDS - started)) s)"
    failed_steps+=("$name")
  fi
}

step "chromium" bash scripts/ensure-chromium.sh
step "kafka jars" npx tsx scripts/kafka.ts fetch
step "prisma client" node scripts/prisma.mjs generate
step "typecheck" npx tsc --noEmit
step "lint" npx eslint .
step "format" npx prettier --check .
step "unit tests" npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$results_dir/unit.json"
step "integration tests" npx vitest run --project integration --reporter=default --reporter=json --outputFile.json="$results_dir/integration.json"
step "build" npx next build
if [[ " ${failed_steps[*]-} " == *" build "* ]]; then
  echo "=== e2e: skipped (the build failed)"
  failed_steps+=("e2e")
else
  rm -rf .cache/e2e-data
  step "e2e" env PLAYWRIGHT_JSON_OUTPUT_NAME="$results_dir/e2e.json" npx playwright test --reporter=list,json
fi

echo
node scripts/test-summary.mjs "$results_dir/unit.json" "$results_dir/integration.json" "$results_dir/e2e.json"
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "failed steps: ${failed_steps[*]}"
  exit 1
fi
echo "all steps passed"
