#!/usr/bin/env bash
# Cross-checks usertoken (Go) against the npm jsonwebtoken package.
#
#   ./check.sh          regenerate all interop vectors into a temp dir and
#                       fail if they differ from usertoken/testdata/interop/
#                       (ES256 signatures are randomized: those are compared
#                       on header and payload, and both runs are verified)
#   ./check.sh --write  regenerate and overwrite the committed files
#
# Steps: npm ci (pinned by package-lock.json); Node signs every case of
# cases.json; the Go program ./mint issues the same cases with a fixed clock;
# Node verifies the Go tokens (and refuses tampered/expired variants); then
# the Go interop tests run against the fresh files. Fails (never skips) when
# node, npm or go is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
dest="$root/usertoken/testdata/interop"
files=(node_signed.json go_signed.json node_verified_go.json)

write=0
case "${1:-}" in
  "") ;;
  --write) write=1 ;;
  *) echo "usage: $0 [--write]" >&2; exit 2 ;;
esac

for tool in node npm go; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "check.sh: FAIL: '$tool' not found on PATH (required, not optional)" >&2
    exit 1
  fi
done

cd "$here"
npm ci --silent --no-audit --no-fund >/dev/null 2>&1 || {
  echo "check.sh: FAIL: npm ci failed" >&2
  npm ci --no-audit --no-fund >&2 || true
  exit 1
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

node "$here/interop.js" sign --root "$root" --out "$tmp/node_signed.json"
(cd "$root" && go run ./internal/interop/jwt/mint -root "$root" -out "$tmp/go_signed.json")
node "$here/interop.js" verify --root "$root" --in "$tmp/go_signed.json" --out "$tmp/node_verified_go.json"

# Node must have accepted every Go token and refused the tampered/expired ones.
node -e '
  const r = require(process.argv[1]);
  const bad = r.cases.filter((c) => !c.ok || !c.tamperedRejected || !c.expiredRejected);
  if (bad.length) { console.error("check.sh: FAIL: Node verification:", JSON.stringify(bad, null, 2)); process.exit(1); }
' "$tmp/node_verified_go.json"

if [[ $write == 1 ]]; then
  mkdir -p "$dest"
  for f in "${files[@]}"; do cp "$tmp/$f" "$dest/$f"; done
  echo "check.sh: wrote ${files[*]} to usertoken/testdata/interop/"
else
  status=0
  for f in "${files[@]}"; do
    if [[ ! -f "$dest/$f" ]]; then
      echo "check.sh: FAIL: usertoken/testdata/interop/$f is missing (run ./regen.sh)" >&2
      status=1
    elif ! node "$here/interop.js" same --root "$root" --in "$dest/$f" --out "$tmp/$f"; then
      diff -u "$dest/$f" "$tmp/$f" >&2 || true
      echo "check.sh: FAIL: usertoken/testdata/interop/$f differs from a fresh run (beyond ES256 signatures; see diff above; ./regen.sh rewrites it)" >&2
      status=1
    fi
  done
  [[ $status == 0 ]] || exit 1
fi

# The Go side of the interop checks, on the fresh run (whose ES256 tokens
# are new) and on the committed files.
for dir in "$tmp" ""; do
  (cd "$root" && USERTOKEN_INTEROP_DIR="$dir" go test -count=1 -run 'Interop' ./usertoken/ >/dev/null) || {
    echo "check.sh: FAIL: go test -run Interop ./usertoken/ (USERTOKEN_INTEROP_DIR='$dir')" >&2
    (cd "$root" && USERTOKEN_INTEROP_DIR="$dir" go test -count=1 -run 'Interop' ./usertoken/) >&2 || true
    exit 1
  }
done
echo "check.sh: OK (jsonwebtoken $(node -p 'require("jsonwebtoken/package.json").version'), $(node --version))"
