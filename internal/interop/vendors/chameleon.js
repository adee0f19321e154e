#!/usr/bin/env node
// chameleon.js: Chameleon's timestamped uid_hash, computed by Chameleon's own Node sample.
//
// Usage: node chameleon.js <identities.json> <chameleon.json> <outdir>
//
// Writes <outdir>/chameleon.json. The sample is github.com/chamaeleonidae/verification
// verification.js (commit 978dbec7b09623e7c2020295b2327b2bfea3310c), quoted verbatim but for
// the names bound to the secret and the user id, and the clock: `Date.now()` reads a fixed
// instant (a stamp from chameleon.json plus some milliseconds the sample's Math.floor drops).
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

function die(msg) {
  process.stderr.write(`chameleon.js: ${msg}\n`);
  process.exit(1);
}

// verification.js:
//   const secret = process.env.CHAMELEON_VERIFICATION_SECRET;
//   const now = Math.floor(Date.now() / 1000);
//   const uid_hash = [crypto.createHmac('sha256', secret).update(`${uid}-${now}`).digest('hex'), now].join('-');
function sample(secret, uid, Date) {
  const now = Math.floor(Date.now() / 1000);
  const uid_hash = [crypto.createHmac('sha256', secret).update(`${uid}-${now}`).digest('hex'), now].join('-');
  return { message: `${uid}-${now}`, signature: uid_hash, timestamp: String(now) };
}

const SHAPE = /^[0-9a-f]{64}-[1-9][0-9]*$/;

function main() {
  const [idFile, stampFile, outDir] = process.argv.slice(2);
  if (!outDir) die('usage: node chameleon.js <identities.json> <chameleon.json> <outdir>');
  const input = JSON.parse(fs.readFileSync(idFile, 'utf8'));
  const cham = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
  if (!SHAPE.test(cham.example)) die(`the samples' example ${cham.example} is not hex-seconds`);
  const vectors = [];
  const refused = [];
  let k = 0;
  for (const id of input.identities) {
    const secret = input.secrets[id.secret];
    const uid = id.userId === undefined ? null : id.userId;
    const email = id.email === undefined || id.email === null ? '' : id.email;
    const rec = { name: id.name, secret, userId: uid === null ? '' : uid, email, expires: '', expiresAt: '' };
    if (uid === null) { // the sample would sign "null-…": Chameleon identifies a user by uid
      refused.push(rec);
      continue;
    }
    const stamp = cham.stamps[k++ % cham.stamps.length];
    const clock = { now: () => Number(stamp) * 1000 + cham.millis };
    const res = sample(secret, uid, clock);
    if (res.timestamp !== stamp || !SHAPE.test(res.signature)) die(`${id.name}: ${res.signature} for stamp ${stamp}`);
    Object.assign(rec, res);
    vectors.push(rec);
  }
  fs.writeFileSync(path.join(outDir, 'chameleon.json'), JSON.stringify({
    preset: 'chameleon',
    source: 'Chameleon, Using Identity Verification (Secure mode), help.chameleon.io/en/articles/4281577-using-identity-verification-secure-mode; github.com/chamaeleonidae/verification verification.js (978dbec7)',
    rule: 'uid + "-" + unix seconds; text: hex + "-" + the same seconds',
    encoding: 'hex',
    generator: 'node internal/interop/vendors/chameleon.js',
    vectors,
    refused,
  }, null, 2) + '\n', 'utf8');
}

main();
