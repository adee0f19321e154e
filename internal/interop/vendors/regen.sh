#!/usr/bin/env bash
# Regenerate the vendor test vectors in testdata/vendors/ from the vendors' own snippets
# (Node gen.js, Python helpshift.py, Java Helpshift.java) and check them.
#
#   bash internal/interop/vendors/regen.sh          # regenerate into a temp dir, diff -r against
#                                                    # testdata/vendors/, exit 1 with the diff if stale
#   bash internal/interop/vendors/regen.sh --write  # rewrite testdata/vendors/
#
# Requires node, python3 and java (JDK 11+, for the single-file source launcher). A missing
# tool is an error, never a skip. Works from any cwd.
set -euo pipefail

usage() {
  echo "usage: $0 [--write]" >&2
  exit 2
}

mode=check
case "$#" in
  0) ;;
  1) [[ "$1" == "--write" ]] || usage; mode=write ;;
  *) usage ;;
esac

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"
[[ -f go.mod && -f internal/interop/vendors/identities.json ]] || {
  echo "regen.sh: cannot locate the repo root from $here" >&2
  exit 1
}

missing=()
for tool in node python3 java; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "regen.sh: FAIL: required tool(s) not found in PATH: ${missing[*]}" >&2
  echo "regen.sh: the vectors must be computed by each vendor's documented language; install them and re-run." >&2
  exit 1
fi

vendors=internal/interop/vendors
input=$vendors/identities.json
out=testdata/vendors

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

step() {
  local what=$1
  shift
  if ! "$@"; then
    echo "regen.sh: FAIL: $what exited non-zero: $*" >&2
    exit 1
  fi
}

step "Node generator" node "$vendors/gen.js" "$input" "$tmp"
step "Python Helpshift sample" python3 "$vendors/helpshift.py" "$input" "$tmp"
step "Java Helpshift sample (needs a JDK 11+ with the source launcher)" \
  java -Dfile.encoding=UTF-8 "$vendors/Helpshift.java" "$input" "$tmp"

# Node, Python and Java must agree on every Helpshift vector and refusal (everything but the
# "source"/"generator" provenance fields).
step "Node/Python/Java agreement check" python3 - "$tmp" <<'PY'
import json, os, sys
d = sys.argv[1]
def load(name):
    with open(os.path.join(d, name), encoding='utf-8') as f:
        doc = json.load(f)
    return {k: v for k, v in doc.items() if k not in ('source', 'generator')}
bad = False
for preset in ('helpshift', 'helpshift-full-privacy'):
    node = load(preset + '.json')
    for lang in ('python', 'java'):
        other = load('%s-%s.json' % (preset, lang))
        if other != node:
            bad = True
            print('regen.sh: %s: %s disagrees with Node' % (preset, lang), file=sys.stderr)
            for a, b in zip(node.get('vectors', []), other.get('vectors', [])):
                if a != b:
                    print('  node: %s\n  %s: %s' % (a, lang, b), file=sys.stderr)
    print('agree: %s (node, python, java): %d vectors, %d refused'
          % (preset, len(node['vectors']), len(node['refused'])))
sys.exit(1 if bad else 0)
PY

if [[ "$mode" == write ]]; then
  mkdir -p "$out"
  rm -f "$out"/*.json
  cp "$tmp"/*.json "$out"/
  echo "regen.sh: wrote $(ls "$tmp" | wc -l) files to $out/"
else
  if ! diff -r "$out" "$tmp"; then
    echo "regen.sh: FAIL: $out/ is stale or was edited by hand (diff above: < committed, > regenerated)." >&2
    echo "regen.sh: run 'bash $vendors/regen.sh --write' if the change is intended." >&2
    exit 1
  fi
  echo "regen.sh: OK: $out/ matches the vendor snippets ($(ls "$tmp" | wc -l) files)"
fi
