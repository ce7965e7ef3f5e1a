#!/bin/sh
# Runs before `npm test` (and from .ci/run): Debian packages some tests need.
#   prometheus: promtool, for the alert-rule tests;
#   awscli:     the botocore service models, the ground truth for AWS wire shapes, and the CLI itself
#               (scripts/aws-cli runs it against npm start);
#   jq:         what scripts/aws-cli reads the CLI's JSON with;
#   chromium:   the browser the local console's tests drive (playwright-core, tests/browser), unless CHROMIUM
#               names another one (GitHub's runners ship Google Chrome).
# Installs what is missing where we can (root with apt-get, as on CI and this project's machines);
# otherwise says how. The tests that need a missing tool skip visibly by hand and fail when CI=true.
missing=""
command -v promtool >/dev/null 2>&1 || missing="$missing prometheus"
[ -d /usr/lib/python3/dist-packages/awscli/botocore/data ] || missing="$missing awscli"
command -v jq >/dev/null 2>&1 || missing="$missing jq"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing="$missing chromium"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages the tests need:$missing…"
  # shellcheck disable=SC2086 # one word per package
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null) && exit 0
fi
echo "Missing for some tests:$missing. Install them (Debian/Ubuntu: apt-get install$missing)." >&2
echo "The tests that need them are skipped without them (and fail when CI=true)." >&2
exit 0
