#!/usr/bin/env bash
# Builds and starts examples/backend on a free loopback port, runs the
# page's flow against it in Node (e2e.mjs), and stops the server. Exits
# non-zero if anything fails, including a missing node or go. Works from any
# directory.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)

die() { echo "check.sh: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || die "node not found: Node 20 or later is required"
command -v go >/dev/null 2>&1 || die "go not found"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node $node_major found, 20 or later required"

tmp=$(mktemp -d)
pid=""
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

(cd "$root" && go build -o "$tmp/backend" ./examples/backend)

"$tmp/backend" -addr 127.0.0.1:0 >"$tmp/stdout" 2>"$tmp/stderr" &
pid=$!

url=""
for _ in $(seq 1 200); do
	url=$(sed -n 's/^listening on \(http:\/\/127\.0\.0\.1:[0-9][0-9]*\)$/\1/p' "$tmp/stdout")
	[ -n "$url" ] && break
	if ! kill -0 "$pid" 2>/dev/null; then
		cat "$tmp/stderr" >&2
		die "backend exited before listening"
	fi
	sleep 0.05
done
[ -n "$url" ] || { cat "$tmp/stderr" >&2; die "backend did not print its URL within 10s"; }

echo "check.sh: backend at $url"
if ! node "$here/e2e.mjs" "$url"; then
	echo "--- backend log ---" >&2
	cat "$tmp/stderr" >&2
	die "Node end-to-end check failed"
fi
