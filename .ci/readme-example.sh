#!/usr/bin/env bash
# The README's "check your own code" file, the way a user meets it: a scratch project outside
# the repository installs the packed kit plus vitest, fast-check and zeromq from the registry,
# writes the file exactly as the README gives it, type-checks it and runs it. It must fail on
# the bug it shows, naming the rule. Then again with fast-check 3, the other supported major.
# Also checks what the tarball ships, the installed command and require(). Used by .ci/run.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
rm -f zmq-interleave-*.tgz
tarball="$repo/$(npm pack --silent | tail -n 1)"
echo "== packed $tarball"
files="$(tar tzf "$tarball")"
for f in package/dist/index.js package/dist/index.d.ts package/dist/cli/bin.js package/cjs/index.cjs package/LICENSE package/README.md; do
  grep -qx "$f" <<<"$files" || { echo "the tarball lacks $f" >&2; exit 1; }
done
if grep -q '\.map$' <<<"$files"; then echo "the tarball ships source maps without their sources" >&2; exit 1; fi
rule="$(npx tsx test/readme/extract.ts --rule README.md)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/test"
npx tsx test/readme/extract.ts README.md > "$scratch/test/jobs.test.ts"
cd "$scratch"
cat > package.json <<'JSON'
{ "name": "readme-example", "private": true, "type": "module" }
JSON
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noEmit": true,
    "types": ["node"]
  },
  "include": ["test"]
}
JSON
for fc in "^4.11.0" "^3.23.2"; do
  echo "== scratch project $scratch with fast-check@$fc"
  npm install --no-audit --no-fund --loglevel=error "$tarball" "fast-check@$fc" "vitest@^4.1.0" "zeromq@6.8.0" \
    "typescript@~5.9.3" "@types/node@^20.19.0"
  npx tsc -p .
  echo "== type-checks; running it (it must fail with $rule)"
  set +e
  out="$(NO_COLOR=1 npx vitest run 2>&1)"
  status=$?
  set -e
  printf '%s\n' "$out" | tail -n 40
  if [ "$status" -eq 0 ]; then echo "the README's test file passed; it must fail on its bug" >&2; exit 1; fi
  grep -q "InterleavingFailure: $rule" <<<"$out" || { echo "the failure does not name $rule" >&2; exit 1; }
  grep -q "✗ $rule at step" <<<"$out" || { echo "the failure has no $rule timeline" >&2; exit 1; }
  grep -q "replay: verdict=$rule schedule=\[" <<<"$out" || { echo "the failure has no replay line" >&2; exit 1; }
done
echo "== the installed command and require()"
npx zmq-interleave --scenario two-handlers-one-pull --seed 1 > zoo.out
grep -q "Every bug was found (1/1)." zoo.out
node -e 'const kit = require("zmq-interleave"); if (typeof kit.runInterleaving !== "function") process.exit(1);'
echo "== README example OK (fails with $rule as shown, with fast-check 4 and 3)"
