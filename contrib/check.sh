#!/usr/bin/env bash
# Checks the modules that live beside the core in this repository — the
# framework adapters (contrib/ginsig, echosig, fibersig, grpcsig), chi's test
# (contrib/chitest) and the browser test (internal/interop/browser) — and
# that the core module never gains their dependencies:
#
#   - go vet, staticcheck, go test and go test -race in each contrib module;
#   - go vet and go test in the browser module, which drives the demo page
#     in headless Chromium and fails, never skips, without it;
#   - `go list -m all` of the core module, and of a fresh module that
#     imports only the core, names no framework or browser driver.
#
# Exits non-zero on any failure. Works from any directory.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
die() { echo "check.sh: $*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "go not found"

# Every module path a core-only user must never see (one regex a line).
frameworks="^($(grep -vE '^(#|$)' "$root/.ci/not-in-core" | paste -sd'|' -))"

for dir in "$root"/contrib/*/; do
	[ -f "$dir/go.mod" ] || continue
	mod=${dir#"$root"/}
	echo "--- $mod: go vet, staticcheck, go test, go test -race"
	(cd "$dir" && go vet ./... && go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./... &&
		go test ./... && go test -race ./...)
done

# No contrib module may import the core's internal/ packages: a newer core
# could break it, since they are no API.
for dir in "$root"/contrib/*/; do
	[ -f "$dir/go.mod" ] || continue
	if (cd "$dir" && go list -deps -test ./...) | grep '^github\.com/usersig/usersig/internal/'; then
		die "${dir#"$root"/} imports the core's internal/ packages (above)"
	fi
done

echo "--- core: go list -m all names no framework"
if (cd "$root" && go list -m all) | grep -E "$frameworks"; then
	die "the core module's build list names a framework (above)"
fi

echo "--- a module importing only the core: go list -m all names no framework"
# This tries the working tree, uncommitted edits too, so its go.mod points
# at it with a replace: in a temporary directory, never in the repository.
# The release dry run (.ci/release-dryrun) tries the committed tree the way
# a user gets it, from a tagged module zip.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GOWORK=off # no workspace may supply the core here
cat >"$tmp/go.mod" <<MOD
module example.com/coreonly

go 1.26.0

require github.com/usersig/usersig v0.1.0

replace github.com/usersig/usersig v0.1.0 => $root
MOD
cat >"$tmp/main.go" <<'SRC'
package main

import (
	"fmt"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

func main() { fmt.Println(usersig.Proficient().Name, sighttp.ErrNoSignature) }
SRC
(cd "$tmp" && go mod tidy >/dev/null && go build ./...) || die "a module importing only the core does not build"
if (cd "$tmp" && go list -m all) | grep -E "$frameworks"; then
	die "a module importing only the core lists a framework (above)"
fi

echo "--- internal/interop/browser: the demo page in headless Chromium"
chromium=${USERSIG_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$chromium" ] || die "chromium not found: apt-get install -y chromium (or set USERSIG_CHROMIUM)"
(cd "$root/internal/interop/browser" && go vet ./... && USERSIG_CHROMIUM=$chromium go test -count=1 -v ./...)

echo "check.sh: all contrib checks passed"
