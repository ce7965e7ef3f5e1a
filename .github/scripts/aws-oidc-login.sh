#!/usr/bin/env bash
# Signs a GitHub Actions job in to AWS without a third-party action, and exports the credentials to the
# job's later steps through $GITHUB_ENV.
#
#   ROLE_ARN set        → OIDC: the job's ID token (audience sts.amazonaws.com) is exchanged with
#                         sts assume-role-with-web-identity for one-hour session credentials.
#   FALLBACK_* set      → long-lived access keys from secrets, with a warning.
#   neither             → an error naming what to set.
#
# Inputs (environment): ROLE_ARN, FALLBACK_ACCESS_KEY_ID, FALLBACK_SECRET_ACCESS_KEY, and from the runner
# ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN (only with `permissions: id-token: write`), RUNNER_TEMP,
# GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, GITHUB_ENV. Needs curl, jq and the AWS CLI (all on GitHub's runners).
set -euo pipefail

role_arn="${ROLE_ARN:-}"
fallback_key_id="${FALLBACK_ACCESS_KEY_ID:-}"
fallback_secret="${FALLBACK_SECRET_ACCESS_KEY:-}"

if [[ -n "$role_arn" ]]; then
  if [[ -z "${ACTIONS_ID_TOKEN_REQUEST_URL:-}" ]]; then
    echo "::error::No OIDC token: the job needs 'permissions: id-token: write'"
    exit 1
  fi
  token_file="$RUNNER_TEMP/oidc-token"
  curl -sSf --retry 3 -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \
    "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=sts.amazonaws.com" | jq -r '.value' > "$token_file"
  echo "::add-mask::$(cat "$token_file")"
  creds=$(aws sts assume-role-with-web-identity \
    --role-arn "$role_arn" \
    --role-session-name "gh-${GITHUB_RUN_ID}-${GITHUB_RUN_ATTEMPT}" \
    --web-identity-token "file://$token_file" \
    --duration-seconds 3600 \
    --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
  rm -f "$token_file"
  read -r key_id secret_key session_token <<< "$creds"
  for value in "$key_id" "$secret_key" "$session_token"; do echo "::add-mask::$value"; done
  {
    echo "AWS_ACCESS_KEY_ID=$key_id"
    echo "AWS_SECRET_ACCESS_KEY=$secret_key"
    echo "AWS_SESSION_TOKEN=$session_token"
  } >> "$GITHUB_ENV"
elif [[ -n "$fallback_key_id" ]]; then
  echo "::warning::Using long-lived access keys from secrets. Set the variable AWS_ROLE_ARN to use OIDC."
  {
    echo "AWS_ACCESS_KEY_ID=$fallback_key_id"
    echo "AWS_SECRET_ACCESS_KEY=$fallback_secret"
  } >> "$GITHUB_ENV"
else
  echo "::error::Set the variable AWS_ROLE_ARN (OIDC), or the secrets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
  exit 1
fi
