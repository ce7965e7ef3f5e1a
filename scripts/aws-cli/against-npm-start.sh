#!/usr/bin/env bash
# CI step (ci.yml and .ci/run): a fresh `npm start` (PGlite in a temp folder, or DATABASE_URL when set), then the
# real AWS CLI and the deploy scripts' Lambda SDK path against its AWS endpoint, exactly as against AWS. Stops it after.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA="$(mktemp -d)"
LOG="$DATA/npm-start.log"
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_PAGER="" AWS_CLI="${AWS_CLI:-aws}"
unset AWS_PROFILE AWS_SESSION_TOKEN

# Fast redelivery, so the poison message reaches the DLQ in seconds.
PORT=0 LOCAL_AWS_PORT=0 INGESTA_DATA_DIR="$DATA" LOCAL_VISIBILITY_TIMEOUT_S=1 LOCAL_MAX_RECEIVE_COUNT=2 \
  npm start --silent >"$LOG" 2>&1 &
pid=$!
stop() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$DATA"
}
trap stop EXIT
for _ in $(seq 1 120); do
  grep -q 'Ctrl-C to stop.' "$LOG" && break
  kill -0 "$pid" 2>/dev/null || { cat "$LOG"; echo "npm start exited before it was ready" >&2; exit 1; }
  sleep 1
done
grep -q 'Ctrl-C to stop.' "$LOG" || { cat "$LOG"; echo "npm start was not ready within 120 s" >&2; exit 1; }
endpoint="$(sed -n 's/^ *AWS endpoint *\(http:[^ ]*\).*/\1/p' "$LOG")"
echo "npm start is up; its AWS endpoint is $endpoint ($("$AWS_CLI" --version))"

scripts/aws-cli/check-pipeline.sh --endpoint-url "$endpoint"

# The smoke suites through Lambda Invoke with the real SDK: the path they take against AWS.
AWS_ENDPOINT_URL="$endpoint" npm run --silent smoke -- --function ingesta-api
AWS_ENDPOINT_URL="$endpoint" npm run --silent smoke -- --function ingesta-suscriptor

# The whole deploy (update, wait, publish, migrate, smoke, move live) through the real SDK, then the live aliases.
for function in api suscriptor; do
  AWS_ENDPOINT_URL="$endpoint" npm run --silent deploy -- --function "$function" --image "ingesta-$function:local"
done
scripts/aws-cli/check-pipeline.sh --endpoint-url "$endpoint" --qualifier live --no-poison
