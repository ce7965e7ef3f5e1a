#!/usr/bin/env bash
# The pipeline checked with the real AWS CLI, exactly as a user would type it: against AWS, or against
# `npm start` with --endpoint-url http://127.0.0.1:4510. Needs `aws` (v1 or v2) and `jq`.
#   1. aws lambda invoke the API with a GET /health Function URL event: StatusCode 200, no FunctionError, 200 inside;
#   2. aws lambda invoke the subscriber with an SQS event: StatusCode 200, no batch item failures;
#   3. aws sns publish a user event, then aws lambda invoke GET /users until it appears, then GET /users/{id};
#   4. (--poison) aws sqs send-message a body that is not JSON, then aws sqs receive-message on the DLQ until it is there.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/aws-cli/check-pipeline.sh [options]
  --endpoint-url <url>   a local endpoint (npm start prints it; default: AWS itself)
  --name <prefix>        the Terraform module's name (default ingesta): <name>-api, <name>-suscriptor
  --api-function <name>  the API function, if not <name>-api
  --subscriber-function <name>  the subscriber function, if not <name>-suscriptor
  --qualifier <q>        invoke this version or alias (default: unqualified, $LATEST)
  --topic-name <name>    default <name>-events on AWS, ingesta-users locally
  --queue-name <name>    default <name>-events on AWS, ingesta-users locally
  --dlq-name <name>      default <name>-events-dlq on AWS, ingesta-users-dlq locally
  --poison               also send a poison message and find it on the DLQ (default with --endpoint-url;
                         on AWS it takes maxReceiveCount × the visibility timeout and sets off the DLQ alarm)
  --no-poison            skip that step
  --timeout <seconds>    how long to wait for the user and for the dead letter (default 120)
Environment: AWS_CLI (default aws), and the usual AWS_REGION / AWS_PROFILE / credentials.
USAGE
}

ENDPOINT="" NAME="ingesta" API="" SUBSCRIBER="" QUALIFIER="" TOPIC="" QUEUE="" DLQ="" POISON="" TIMEOUT=120
while [ $# -gt 0 ]; do
  case "$1" in
    --endpoint-url) ENDPOINT="$2"; shift 2 ;;
    --name) NAME="$2"; shift 2 ;;
    --api-function) API="$2"; shift 2 ;;
    --subscriber-function) SUBSCRIBER="$2"; shift 2 ;;
    --qualifier) QUALIFIER="$2"; shift 2 ;;
    --topic-name) TOPIC="$2"; shift 2 ;;
    --queue-name) QUEUE="$2"; shift 2 ;;
    --dlq-name) DLQ="$2"; shift 2 ;;
    --poison) POISON=yes; shift ;;
    --no-poison) POISON=no; shift ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --help | -h) usage; exit 0 ;;
    *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
case "$TIMEOUT" in '' | *[!0-9]*) echo "--timeout must be a whole number of seconds" >&2; exit 2 ;; esac
if [ -n "$ENDPOINT" ]; then
  : "${TOPIC:=ingesta-users}" "${QUEUE:=ingesta-users}" "${DLQ:=ingesta-users-dlq}" "${POISON:=yes}"
else
  : "${TOPIC:=$NAME-events}" "${QUEUE:=$NAME-events}" "${DLQ:=$NAME-events-dlq}" "${POISON:=no}"
fi
API="${API:-$NAME-api}"
SUBSCRIBER="${SUBSCRIBER:-$NAME-suscriptor}"
EVENTS="$(cd "$(dirname "$0")/events" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

aws_() { "${AWS_CLI:-aws}" ${ENDPOINT:+--endpoint-url "$ENDPOINT"} --output json "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok   $*"; }

# aws lambda invoke, then the checks a user makes: the status code and no function error. Prints the payload file.
invoke() {
  local function="$1" payload="$2" out="$WORK/out-$RANDOM.json" meta
  meta="$(aws_ lambda invoke --function-name "$function" ${QUALIFIER:+--qualifier "$QUALIFIER"} \
    --payload "fileb://$payload" "$out")"
  [ "$(jq -r '.StatusCode' <<<"$meta")" = 200 ] || fail "$function: StatusCode $(jq -c . <<<"$meta")"
  [ "$(jq -r '.FunctionError // ""' <<<"$meta")" = "" ] || fail "$function: $(jq -c . <<<"$meta") $(cat "$out")"
  echo "$out"
}

# A Function URL request to the API, from the GET /users event with its path and query replaced.
api_get() {
  local path="$1" query="${2:-}" event="$WORK/event-$RANDOM.json"
  jq --arg path "$path" --arg query "$query" \
    '.rawPath = $path | .requestContext.http.path = $path | .rawQueryString = $query
     | .queryStringParameters = ($query | if . == "" then null else
         (split("&") | map(split("=") | {(.[0]): (.[1:] | join("="))}) | add) end)
     | if .queryStringParameters == null then del(.queryStringParameters) else . end' \
    "$EVENTS/list-users-event.json" >"$event"
  invoke "$API" "$event"
}

echo "Checking $API and $SUBSCRIBER${ENDPOINT:+ at $ENDPOINT}${QUALIFIER:+ ($QUALIFIER)}"

# 1. The API answers GET /health.
out="$(invoke "$API" "$EVENTS/health-event.json")"
[ "$(jq -r '.statusCode' "$out")" = 200 ] || fail "GET /health answered $(cat "$out")"
ok "aws lambda invoke $API (GET /health): StatusCode 200, statusCode 200 inside"

# 2. The subscriber takes an SQS batch and reports no failures.
out="$(invoke "$SUBSCRIBER" "$EVENTS/sqs-event.json")"
[ "$(jq -c '.batchItemFailures' "$out")" = "[]" ] || fail "$SUBSCRIBER reported $(cat "$out")"
ok "aws lambda invoke $SUBSCRIBER (SQS event): StatusCode 200, no batchItemFailures"

# 3. A user event published to the topic lands in the database.
topic_arn="$(aws_ sns list-topics | jq -r --arg t ":$TOPIC" '.Topics[].TopicArn | select(endswith($t))' | head -n 1)"
[ -n "$topic_arn" ] || fail "no topic named $TOPIC"
stamp="$(date -u +%Y%m%d%H%M%S)-$RANDOM$RANDOM"
email="cli-check-$stamp@example.com"
event="$(jq -cn --arg id "cli-check-$stamp" --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg email "$email" \
  '{eventId: $id, occurredAt: $at, user: {name: "CLI Check", email: $email}}')"
message_id="$(aws_ sns publish --topic-arn "$topic_arn" --message "$event" --message-attributes \
  '{"eventType":{"DataType":"String","StringValue":"user.upserted"},"schemaVersion":{"DataType":"String","StringValue":"1"}}' |
  jq -r '.MessageId')"
ok "aws sns publish $topic_arn: MessageId $message_id"

find_user() {
  local cursor="" page out id
  for page in $(seq 1 200); do
    out="$(api_get /users "limit=100${cursor:+&cursor=$cursor}")"
    [ "$(jq -r '.statusCode' "$out")" = 200 ] || fail "GET /users answered $(cat "$out")"
    id="$(jq -r '.body | fromjson | .items[] | select(.email == "'"$email"'") | .id' "$out")"
    [ -n "$id" ] && { echo "$id"; return 0; }
    cursor="$(jq -r '.body | fromjson | .nextCursor // ""' "$out")"
    [ -z "$cursor" ] && return 0
  done
}
deadline=$((SECONDS + TIMEOUT))
user_id=""
until [ -n "$user_id" ]; do
  user_id="$(find_user)"
  [ -n "$user_id" ] && break
  [ "$SECONDS" -lt "$deadline" ] || fail "$email did not appear in GET /users within ${TIMEOUT}s"
  sleep 1
done
out="$(api_get "/users/$user_id")"
[ "$(jq -r '.statusCode' "$out")" = 200 ] || fail "GET /users/$user_id answered $(cat "$out")"
[ "$(jq -r '.body | fromjson | .email' "$out")" = "$email" ] || fail "GET /users/$user_id is $(cat "$out")"
ok "aws lambda invoke $API (GET /users/$user_id): the published user, after $((SECONDS + TIMEOUT - deadline))s"

# 4. A message the subscriber cannot read ends on the DLQ, where the CLI can read it.
if [ "$POISON" = yes ]; then
  queue_url="$(aws_ sqs get-queue-url --queue-name "$QUEUE" | jq -r '.QueueUrl')"
  dlq_url="$(aws_ sqs get-queue-url --queue-name "$DLQ" | jq -r '.QueueUrl')"
  poison="cli-check poison $stamp: not JSON"
  aws_ sqs send-message --queue-url "$queue_url" --message-body "$poison" >/dev/null
  ok "aws sqs send-message $QUEUE: a body that is not JSON"
  deadline=$((SECONDS + TIMEOUT))
  while :; do
    received="$(aws_ sqs receive-message --queue-url "$dlq_url" --max-number-of-messages 10 \
      --visibility-timeout 5 --wait-time-seconds 2 --attribute-names All)"
    mine="$(jq -c --arg body "$poison" '[.Messages // [] | .[] | select(.Body == $body)] | first // empty' <<<"$received")"
    if [ -n "$mine" ]; then
      aws_ sqs delete-message --queue-url "$dlq_url" --receipt-handle "$(jq -r '.ReceiptHandle' <<<"$mine")"
      ok "aws sqs receive-message $DLQ: the poison message, received $(jq -r '.Attributes.ApproximateReceiveCount' <<<"$mine") times (deleted)"
      break
    fi
    [ "$SECONDS" -lt "$deadline" ] || fail "the poison message did not reach $DLQ within ${TIMEOUT}s"
  done
fi
echo "All checks passed."
