#!/usr/bin/env bash
# Pins a Dockerfile's base image by digest for this build. The Dockerfile names a tag
# (ARG BASE_IMAGE=public.ecr.aws/lambda/nodejs:22); this asks the registry which image the tag points at now
# and exports BASE_IMAGE=<image>:<tag>@sha256:<digest> through $GITHUB_ENV, for `docker build --build-arg`.
# Both build stages then use that one image, and the digest is recorded in the job summary.
#
#   Usage: resolve-base-image.sh <Dockerfile>
#   Inputs (environment): GITHUB_ENV, and GITHUB_STEP_SUMMARY when set. Needs docker with buildx.
set -euo pipefail

dockerfile="${1:?Usage: resolve-base-image.sh <Dockerfile>}"
declared=$(sed -n 's/^ARG BASE_IMAGE=\([^[:space:]]*\)[[:space:]]*$/\1/p' "$dockerfile" | head -n 1)
if [[ -z "$declared" ]]; then
  echo "::error::$dockerfile declares no ARG BASE_IMAGE=<image>:<tag>"
  exit 1
fi

if [[ "$declared" == *@sha256:* ]]; then
  pinned="$declared"
else
  if ! inspected=$(docker buildx imagetools inspect "$declared" 2>&1); then
    echo "::error::Cannot resolve $declared in its registry: $inspected"
    exit 1
  fi
  # The first Digest line is the tag's own manifest (the index, for a multi-platform image).
  digest=$(awk '$1 == "Digest:" { print $2; exit }' <<< "$inspected")
  if [[ ! "$digest" =~ ^sha256:[a-f0-9]{64}$ ]]; then
    echo "::error::No digest for $declared in: $inspected"
    exit 1
  fi
  pinned="$declared@$digest"
fi

echo "BASE_IMAGE=$pinned" >> "$GITHUB_ENV"
echo "Base image pinned: $pinned"
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  echo "- Base image: \`$pinned\`" >> "$GITHUB_STEP_SUMMARY"
fi
