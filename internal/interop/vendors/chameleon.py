#!/usr/bin/env python3
"""Chameleon's timestamped uid_hash, computed by Chameleon's own Python sample.

Usage: python3 chameleon.py <identities.json> <chameleon.json> <outdir>

Writes <outdir>/chameleon-python.json, with the same vectors as chameleon.js's chameleon.json;
regen.sh checks that they agree. The sample is github.com/chamaeleonidae/verification
verification.py (commit 978dbec7b09623e7c2020295b2327b2bfea3310c), quoted verbatim but for the
names bound to the secret and the user id, and the clock: time.time() reads a fixed instant (a
stamp from chameleon.json plus some milliseconds the sample's int() drops). Standard library only.
"""
import hashlib
import hmac
import json
import os
import re
import sys

from chameleon_input import deal


# verification.py:
#   secret = os.environ['CHAMELEON_VERIFICATION_SECRET']
#   now = str(int(time.time()))
#   uid_hash = '-'.join([hmac.new(bytes(secret, 'utf-8'), msg=bytes('-'.join([uid, now]), 'utf-8'), digestmod=hashlib.sha256).hexdigest(), now])
def sample(secret, uid, time):
    now = str(int(time.time()))
    uid_hash = '-'.join([hmac.new(bytes(secret, 'utf-8'), msg=bytes('-'.join([uid, now]), 'utf-8'), digestmod=hashlib.sha256).hexdigest(), now])
    return {'message': '-'.join([uid, now]), 'signature': uid_hash, 'timestamp': now}


class FixedClock:
    def __init__(self, stamp, millis):
        self.at = int(stamp) + millis / 1000

    def time(self):
        return self.at


SHAPE = re.compile(r'^[0-9a-f]{64}-[1-9][0-9]*$')


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: python3 chameleon.py <identities.json> <chameleon.json> <outdir>')
    cham, jobs, refused = deal(sys.argv[1], sys.argv[2])
    if not SHAPE.match(cham['example']):
        sys.exit('chameleon.py: the example is not hex-seconds')
    vectors = []
    for rec, stamp in jobs:
        res = sample(rec['secret'], rec['userId'], FixedClock(stamp, cham['millis']))
        if res['timestamp'] != stamp or not SHAPE.match(res['signature']):
            sys.exit('chameleon.py: %s: %s for stamp %s' % (rec['name'], res['signature'], stamp))
        rec.update(res)
        vectors.append(rec)
    doc = {
        'preset': 'chameleon',
        'source': 'github.com/chamaeleonidae/verification verification.py (978dbec7)',
        'rule': 'uid + "-" + unix seconds; text: hex + "-" + the same seconds',
        'encoding': 'hex',
        'generator': 'python3 internal/interop/vendors/chameleon.py',
        'vectors': vectors,
        'refused': refused,
    }
    with open(os.path.join(sys.argv[3], 'chameleon-python.json'), 'w', encoding='utf-8') as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write('\n')


main()
