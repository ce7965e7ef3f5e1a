#!/bin/sh
# Runs before `npm test`: the alert-rule tests need promtool (Debian's `prometheus` package).
# Installs it where we can (root with apt-get, as on CI and this project's machines); otherwise says how.
command -v promtool >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "promtool not found: installing Debian's prometheus package for the alert-rule tests…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null) && exit 0
fi
echo "promtool not found: install it (Debian/Ubuntu: apt-get install prometheus; macOS: brew install prometheus)." >&2
echo "The tests in tests/observability that run it are skipped without it (and fail when CI=true)." >&2
exit 0
