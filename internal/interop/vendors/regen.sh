#!/usr/bin/env bash
# Regenerate the vendor test vectors in testdata/vendors/ from the vendors' own code and samples,
# each run in its own language (Node gen.js, Python helpshift.py, Java Helpshift.java, Ruby
# vendors.rb, PHP vendors.php, C# ProductFruits.cs under Mono; Chameleon's samples in Node,
# Python, Ruby, PHP and Java into testdata/vendors/timestamped/) and check them.
#
#   bash internal/interop/vendors/regen.sh          # regenerate into a temp dir, diff -r against
#                                                    # testdata/vendors/, exit 1 with the diff if stale
#   bash internal/interop/vendors/regen.sh --write  # rewrite testdata/vendors/
#
# Requires node, python3, java (JDK 11+, for the single-file source launcher), ruby with
# ActiveSupport, php, mcs and mono (Debian: ruby ruby-activesupport php-cli mono-mcs
# mono-runtime). A missing tool is an error, never a skip. Works from any cwd.
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
for tool in node python3 java ruby php mcs mono; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "regen.sh: FAIL: required tool(s) not found in PATH: ${missing[*]}" >&2
  echo "regen.sh: the vectors must be computed by each vendor's documented language; install them and re-run." >&2
  exit 1
fi
if ! ruby -e 'require "active_support/all"' 2>/dev/null; then
  echo "regen.sh: FAIL: Ruby cannot load ActiveSupport, which intercom-rails' code calls (Debian: ruby-activesupport)." >&2
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
step "Ruby: intercom-rails, Chatwoot, magicbell-ruby, Help Scout / Front / Gleap samples" \
  ruby "$vendors/vendors.rb" "$input" "$tmp"
step "PHP: Crisp and Tawk.to WordPress plugins, TalkJS / Help Scout / Front / Gleap samples" \
  php "$vendors/vendors.php" "$input" "$tmp"
mkdir "$tmp/bin"
step "C#: compile Product Fruits' .NET sample with mcs" \
  mcs -nologo -out:"$tmp/bin/ProductFruits.exe" "$vendors/ProductFruits.cs"
step "C#: run it under Mono" python3 "$vendors/dotnet.py" "$input" "$tmp" "$tmp/bin/ProductFruits.exe"
rm -rf "$tmp/bin"

# Chameleon's uid_hash carries its signing time, so its vectors live apart in timestamped/:
# tools that check every vector above against today's clock would rightly call them stale.
mkdir "$tmp/timestamped"
for gen in "node $vendors/chameleon.js" "python3 $vendors/chameleon.py" "ruby $vendors/chameleon.rb" \
  "php $vendors/chameleon.php" "python3 $vendors/chameleon_java.py"; do
  # shellcheck disable=SC2086 # the interpreter and the script are two words
  step "Chameleon's own sample: $gen" $gen "$input" "$vendors/chameleon.json" "$tmp/timestamped"
done

# One layout for every file, whatever language wrote it: 2-space JSON, raw UTF-8, key order kept.
step "normalise the JSON layout" python3 - "$tmp" <<'PY'
import json, os, sys
d = sys.argv[1]
for p in sorted(os.path.join(dp, n) for dp, _, ns in os.walk(d) for n in ns):
    with open(p, encoding='utf-8') as f:
        doc = json.load(f)
    with open(p, 'w', encoding='utf-8', newline='\n') as f:
        f.write(json.dumps(doc, indent=2, ensure_ascii=False) + '\n')
PY

# Every native file must agree with the Node transcription of the same preset, vector by vector
# (the vendor's server behaviour: "signature"; a sample's own output is "sampleSignature").
step "native/Node agreement check" python3 - "$tmp" <<'PY'
import json, os, sys
d = sys.argv[1]
bad = False
for name in sorted(os.listdir(d)):
    stem = name[:-5]
    for lang in ('ruby', 'php', 'dotnet'):
        if stem.endswith('-' + lang) and os.path.exists(os.path.join(d, stem[:-len(lang) - 1] + '.json')):
            break
    else:
        continue
    node_name = stem[:-len(lang) - 1] + '.json'
    with open(os.path.join(d, name), encoding='utf-8') as f:
        native = json.load(f)
    with open(os.path.join(d, node_name), encoding='utf-8') as f:
        node = {v['name']: v for v in json.load(f)['vectors']}
    shared = 0
    for v in native['vectors']:
        n = node.get(v['name'])
        if n is None or n['expires'] != v['expires']:  # .NET's expiry text is not toJSON's
            continue
        shared += 1
        if (n['message'], n['signature']) != (v['message'], v['signature']):
            bad = True
            print('regen.sh: %s: %s disagrees with %s' % (name, v['name'], node_name), file=sys.stderr)
    plain = lambda vs: {v['name'] for v in vs if not v.get('knownAnswer') and '+expiry-' not in v['name']}
    if plain(native['vectors']) != plain(node.values()):
        bad = True
        print('regen.sh: %s and %s sign different identities' % (name, node_name), file=sys.stderr)
    print('agree: %s and %s: %d shared vectors' % (name, node_name, shared))
sys.exit(1 if bad else 0)
PY

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

# Chameleon's samples in Node, Python, Ruby, PHP and Java must give the same vectors and refusals.
step "Chameleon Node/Python/Ruby/PHP/Java agreement check" python3 - "$tmp/timestamped" <<'PY'
import json, os, sys
d = sys.argv[1]
def load(name):
    with open(os.path.join(d, name), encoding='utf-8') as f:
        doc = json.load(f)
    return doc['vectors'], doc['refused']
node = load('chameleon.json')
bad = False
for lang in ('python', 'ruby', 'php', 'java'):
    if load('chameleon-%s.json' % lang) != node:
        bad = True
        print('regen.sh: chameleon: %s disagrees with Node' % lang, file=sys.stderr)
print('agree: chameleon (node, python, ruby, php, java): %d vectors, %d refused' % (len(node[0]), len(node[1])))
sys.exit(1 if bad else 0)
PY

count=$(find "$tmp" -name '*.json' | wc -l)
if [[ "$mode" == write ]]; then
  mkdir -p "$out/timestamped"
  rm -f "$out"/*.json "$out"/timestamped/*.json
  cp "$tmp"/*.json "$out"/
  cp "$tmp"/timestamped/*.json "$out"/timestamped/
  echo "regen.sh: wrote $count files to $out/"
else
  if ! diff -r "$out" "$tmp"; then
    echo "regen.sh: FAIL: $out/ is stale or was edited by hand (diff above: < committed, > regenerated)." >&2
    echo "regen.sh: run 'bash $vendors/regen.sh --write' if the change is intended." >&2
    exit 1
  fi
  echo "regen.sh: OK: $out/ matches the vendor snippets ($count files)"
fi
