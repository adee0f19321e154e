#!/usr/bin/env python3
"""Runs Chameleon's Java sample (Chameleon.java, with the JDK's single-file source launcher) over
the shared identities and writes <outdir>/chameleon-java.json, with the same vectors as
chameleon.js's chameleon.json; regen.sh checks that they agree.

Usage: python3 chameleon_java.py <identities.json> <chameleon.json> <outdir>

This script only moves data: it hands each identity to the Java program as base64 text, with the
clock chameleon.json deals out as chameleon.js does, and writes what the Java program printed.
Every uid_hash comes from Java code. Standard library only.
"""
import base64
import json
import os
import re
import subprocess
import sys

from chameleon_input import deal

SHAPE = re.compile(r'^([0-9a-f]{64})-([1-9][0-9]*)$')


def b64(s):
    return base64.b64encode(s.encode('utf-8')).decode('ascii')


def main():
    id_file, stamp_file, out_dir = sys.argv[1:4]
    cham, jobs, refused = deal(id_file, stamp_file)
    here = os.path.dirname(os.path.abspath(__file__))
    stdin = ''.join('%s %s %s %d\n' % (b64(r['secret']), b64(r['userId']), stamp, cham['millis']) for r, stamp in jobs)
    run = subprocess.run(['java', '-Dfile.encoding=UTF-8', os.path.join(here, 'Chameleon.java')],
                         input=stdin.encode('ascii'), capture_output=True, check=True)
    lines = run.stdout.decode('utf-8').splitlines()
    if len(lines) != len(jobs):
        sys.exit('chameleon_java.py: %d jobs, %d answers' % (len(jobs), len(lines)))
    vectors = []
    for (rec, stamp), uid_hash in zip(jobs, lines):
        m = SHAPE.match(uid_hash)
        if not m or m.group(2) != stamp:
            sys.exit('chameleon_java.py: %s: %s for stamp %s' % (rec['name'], uid_hash, stamp))
        vectors.append(dict(rec, message='%s-%s' % (rec['userId'], stamp), signature=uid_hash, timestamp=stamp))
    doc = {
        'preset': 'chameleon',
        'source': 'github.com/chamaeleonidae/verification verification.java (978dbec7)',
        'rule': 'uid + "-" + unix seconds; text: hex + "-" + the same seconds',
        'encoding': 'hex',
        'generator': 'java internal/interop/vendors/Chameleon.java (via chameleon_java.py)',
        'vectors': vectors,
        'refused': refused,
    }
    with open(os.path.join(out_dir, 'chameleon-java.json'), 'w', encoding='utf-8') as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write('\n')


main()
