#!/usr/bin/env bash
# Packs the kit the way it is published (npm run build && npm pack), installs the tarball
# into this example project, and runs the example's tests. Used by .ci/run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
npm run build
rm -f zmq-interleave-*.tgz
tarball="$repo/$(npm pack --silent | tail -n 1)"
echo "== packed $tarball"
cd "$here"
# The example's own dependencies plus the kit from its tarball (not saved: no lock file to commit).
npm install --no-save --no-audit --no-fund --prefer-offline "$tarball"
npx vitest run
