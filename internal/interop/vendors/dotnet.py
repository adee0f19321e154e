#!/usr/bin/env python3
"""Runs Product Fruits' .NET sample (ProductFruits.cs, compiled with mcs, run with mono) over
the shared identities and writes <outdir>/productfruits-dotnet.json.

Usage: python3 dotnet.py <identities.json> <outdir> <ProductFruits.exe>

This script only moves data: it hands each identity to the C# program as base64 text and
writes what the C# program printed. The expiration text and both hashes come from .NET code
run by Mono. Standard library only.
"""
import base64
import json
import os
import subprocess
import sys

DEFECT = ("the sample keys with Encoding.ASCII.GetBytes(secret), which turns each non-ASCII "
          "character of the secret into '?'; Product Fruits' server (and its Node sample) key with "
          "the secret's UTF-8 bytes, as usersig does. signature is the sample's code with "
          "Encoding.UTF8 for the key; sampleSignature is the sample as published")


def b64(s):
    return base64.b64encode(s.encode('utf-8')).decode('ascii')


def main():
    in_file, out_dir, exe = sys.argv[1:4]
    with open(in_file, encoding='utf-8') as f:
        data = json.load(f)
    secrets = data['secrets']
    ids = [dict(i, secret=secrets[i['secret']]) for i in data['identities']]
    with_user = [i for i in ids if i.get('userId')]
    jobs = [(i['name'], i, '') for i in with_user]
    expiries = data['productfruits']['expiries'] + data['productfruits']['dotnetExtraExpiries']
    for n, e in enumerate(expiries):
        i = with_user[n % len(with_user)]
        jobs.append(('%s+expiry-%s' % (i['name'], e['name']), i, e['expiresAt']))
    for ka in data['knownAnswers']:
        if ka['preset'] == 'productfruits' and not ka.get('expiresAt'):
            jobs.append((ka['name'], ka, ''))
    stdin = ''.join('%s\t%s\t%s\t%s\n' % (name, b64(i['userId']), b64(i['secret']), exp) for name, i, exp in jobs)
    out = subprocess.run(['mono', exe], input=stdin.encode('utf-8'), stdout=subprocess.PIPE, check=True).stdout.decode('utf-8')
    lines = out.splitlines()
    if len(lines) != len(jobs):
        sys.exit('dotnet.py: mono printed %d lines for %d identities' % (len(lines), len(jobs)))
    vectors = []
    for (name, i, exp), line in zip(jobs, lines):
        got_name, expiration, sample, server = line.split('\t')
        if got_name != name:
            sys.exit('dotnet.py: out of step at %s' % name)
        rec = {'name': name, 'secret': i['secret'], 'userId': i['userId'], 'email': i.get('email', ''),
               'expires': expiration, 'expiresAt': exp, 'message': i['userId'] + expiration, 'signature': server}
        if i in data['knownAnswers']:
            rec['knownAnswer'] = True
        if sample != server:
            rec['sampleSignature'] = sample
            rec['sampleDefect'] = 'ascii-secret'
        vectors.append(rec)
    refused = [{'name': i['name'], 'secret': i['secret'], 'userId': '', 'email': i.get('email', ''),
                'expires': '', 'expiresAt': ''} for i in ids if not i.get('userId')]
    doc = {
        'preset': 'productfruits',
        'source': 'Product Fruits, Examples of backend HMAC computation; help.productfruits.com/en/article/examples-of-backend-hmac-computation (.NET sample)',
        'rule': 'username (userId) + expiry.ToString("o") for a UTC DateTime (yyyy-MM-ddTHH:mm:ss.fffffffZ), or username + "" when no expiry',
        'encoding': 'base64',
        'generator': "mono (mcs-compiled) internal/interop/vendors/ProductFruits.cs (Product Fruits' .NET sample)",
        'sampleDefects': {'ascii-secret': DEFECT},
        'vectors': vectors,
        'refused': refused,
    }
    with open(os.path.join(out_dir, 'productfruits-dotnet.json'), 'w', encoding='utf-8', newline='\n') as f:
        f.write(json.dumps(doc, indent=2, ensure_ascii=False) + '\n')


if __name__ == '__main__':
    main()
