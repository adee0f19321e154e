#!/usr/bin/env python3
"""Helpshift vectors computed by Helpshift's own Python 3 sample (Helpshift FAQ "User Identity Verification").

Usage: python3 helpshift.py <identities.json> <outdir>

Writes <outdir>/helpshift-python.json and <outdir>/helpshift-full-privacy-python.json in the
same shape (and with the same vectors) as gen.js's helpshift.json /
helpshift-full-privacy.json; regen.sh checks that Node, Python and Java agree.
Standard library only.
"""
import base64
import hashlib
import hmac
import json
import os
import sys


# Transcribed from Helpshift FAQ "User Identity Verification" ("Python 3"). The doc scrape turned
# the quotes into typographic ones and lost `hmac.new` in `uat = hmac.new(secretbytes,
# messagebytes, hashlib.sha256)`; both restored, nothing else changed:
#
#   def hmac_using_stdlib(uid, email, secret):
#       message = ''
#       if uid is not None:
#           message = uid
#       if email is not None:
#           message = '%s%s' % (message, email)
#       messagebytes = bytes(message, 'utf-8')
#       secretbytes = bytes(secret, 'utf-8')
#       uat = hmac.new(secretbytes, messagebytes, hashlib.sha256)
#       return base64.b64encode(uat.digest()).decode('ascii')
def hmac_using_stdlib(uid, email, secret):
    message = ''
    if uid is not None:
        message = uid
    if email is not None:
        message = '%s%s' % (message, email)

    messagebytes = bytes(message, 'utf-8')
    secretbytes = bytes(secret, 'utf-8')

    uat = hmac.new(secretbytes, messagebytes, hashlib.sha256)
    return base64.b64encode(uat.digest()).decode('ascii')


def helpshift_message(uid, email):
    # The message the sample hashes, recorded for the Go tests (same construction).
    message = ''
    if uid is not None:
        message = uid
    if email is not None:
        message = '%s%s' % (message, email)
    return message


def helpshift(secret, uid, email):
    # Rule (Helpshift FAQ "User Identity Verification"): uid, or email, or uid+email. With neither present the sample would
    # sign '' -- there is nothing to sign, so refuse.
    if uid is None and email is None:
        return None
    return helpshift_message(uid, email), hmac_using_stdlib(uid, email, secret)


def helpshift_full_privacy(secret, uid, email):
    # Seed 003: "If the EnableFullPrivacy flag is set to True, the HMAC digest ... should be
    # generated on the User ID only. Email should be ignored" -> call the sample with email=None.
    if uid is None:
        return None
    return helpshift_message(uid, None), hmac_using_stdlib(uid, None, secret)


PRESETS = [
    ('helpshift', helpshift,
     'Helpshift FAQ, User Identity Verification (Python 3 sample hmac_using_stdlib)',
     'uid, or email, or uid+email concatenated with no separator (by which are present)'),
    ('helpshift-full-privacy', helpshift_full_privacy,
     'Helpshift FAQ, User Identity Verification (EnableFullPrivacy: User ID only; Python 3 sample with email None)',
     'uid only (email ignored)'),
]


def die(msg):
    sys.stderr.write('helpshift.py: %s\n' % msg)
    sys.exit(1)


def record(name, secret, uid, email, res, known_answer):
    r = {
        'name': name,
        'secret': secret,
        'userId': '' if uid is None else uid,
        'email': '' if email is None else email,
        'expires': '',
        'expiresAt': '',
    }
    if res is not None:
        r['message'], r['signature'] = res
    if known_answer:
        r['knownAnswer'] = True
    return r


def main():
    if len(sys.argv) != 3:
        die('usage: python3 helpshift.py <identities.json> <outdir>')
    with open(sys.argv[1], encoding='utf-8') as f:
        data = json.load(f)
    secrets = data['secrets']
    out_dir = sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)

    for preset, fn, source, rule in PRESETS:
        vectors, refused = [], []
        for ident in data['identities']:
            secret = secrets[ident['secret']]
            uid, email = ident.get('userId'), ident.get('email')
            res = fn(secret, uid, email)
            (vectors if res is not None else refused).append(
                record(ident['name'], secret, uid, email, res, False))
        for ka in data['knownAnswers']:
            if ka['preset'] != preset:
                continue
            uid, email = ka.get('userId'), ka.get('email')
            res = fn(ka['secret'], uid, email)
            if res is None or res[1] != ka['signature']:
                die('KNOWN ANSWER MISMATCH (%s): got %s, want %s'
                    % (ka['from'], res and res[1], ka['signature']))
            vectors.append(record(ka['name'], ka['secret'], uid, email, res, True))
        doc = {
            'preset': preset,
            'source': source,
            'rule': rule,
            'encoding': 'base64',
            'generator': 'python3 internal/interop/vendors/helpshift.py',
            'vectors': vectors,
            'refused': refused,
        }
        with open(os.path.join(out_dir, preset + '-python.json'), 'w', encoding='utf-8', newline='\n') as f:
            f.write(json.dumps(doc, indent=2, ensure_ascii=False) + '\n')

    # Belt and braces: the published known answer, hard-coded, independent of the input file.
    if hmac_using_stdlib('42', 'user@example.com', 'secret') != 'bFp9vqiTajIzPYoEBVWBMEdXYQuX22MEcRQwk6xbgms=':
        die('KNOWN ANSWER MISMATCH (hard-coded Helpshift uid 42 + user@example.com)')


if __name__ == '__main__':
    main()
