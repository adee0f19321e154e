"""The identities and clocks Chameleon's Python-driven generators (chameleon.py and
chameleon_java.py) deal out, in the order chameleon.js deals them, so every language signs the
same identity at the same instant. Standard library only."""
import json


def deal(identities_path, stamps_path):
    """Returns (chameleon.json, [(record, stamp)], refused): one job per identity with a user id,
    each given the next of chameleon.json's stamps in turn; an identity without one is refused
    (Chameleon signs only the uid)."""
    with open(identities_path, encoding='utf-8') as f:
        inp = json.load(f)
    with open(stamps_path, encoding='utf-8') as f:
        cham = json.load(f)
    jobs, refused = [], []
    for ident in inp['identities']:
        uid, email = ident.get('userId'), ident.get('email')
        rec = {'name': ident['name'], 'secret': inp['secrets'][ident['secret']], 'userId': uid or '',
               'email': email or '', 'expires': '', 'expiresAt': ''}
        if uid is None:
            refused.append(rec)
            continue
        jobs.append((rec, cham['stamps'][len(jobs) % len(cham['stamps'])]))
    return cham, jobs, refused
