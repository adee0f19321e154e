#!/usr/bin/env node
// gen.js — vendor test vectors computed by Node's crypto.createHmac, i.e. by the
// vendors' own documented JavaScript/Node snippets, NOT by the Go code under test.
//
// Usage: node gen.js <identities.json> <outdir>
//
// Writes <outdir>/<preset>.json for every preset whose vendor documents JavaScript or whose
// rule is a one-liner in it, plus pylon.json (Pylon's Node sample).
// Every preset below is a separate, commented transcription of the vendor's documented
// rule or snippet, citing the vendor's page or repository. The vendors whose own code is
// Ruby, PHP or C# are also run natively: vendors.rb, vendors.php, ProductFruits.cs.
//
// Conventions: the key is the secret's characters as UTF-8
// bytes exactly as given (Node's createHmac(alg, string) does exactly that: a string key is
// UTF-8 encoded, never base64/hex-decoded); the message is the UTF-8 bytes of the text
// (hmac.update(string) defaults to 'utf8'); "hex" is digest('hex') (lowercase),
// "b64" is digest('base64') (standard alphabet, '=' padded).
//
// A snippet returns null when the vendor rule has nothing to sign (for example Crisp with
// no email); such identities are listed under "refused" instead of "vectors".
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

// ---------------------------------------------------------------------------------------
// Vendor snippets. Each takes (secret, {userId, email}) with absent fields as null, and
// returns {message, signature} or null.
// ---------------------------------------------------------------------------------------

// Engagespot — Engagespot HMAC Authentication docs ("On your Server code"):
//   const hash = createHmac('sha256', apiSecret).update(userId, 'utf8')
//   "you should pass this base64 encoded value of this hash to userSignature"
// Engagespot | userId | b64 (also packages/core/src/Notification.ts).
function engagespot(apiSecret, { userId }) {
  if (userId === null) return null;
  const hash = crypto.createHmac('sha256', apiSecret).update(userId, 'utf8').digest('base64');
  return { message: userId, signature: hash };
}

// Proficient — Proficient HMAC docs: "The HMAC hash is a string generated with the SHA-256 algorithm and
// digested with Base64. It is produced using your project's HMAC secret as key and your
// user's external ID as message."  Proficient | user external id | b64.
function proficient(hmacSecret, { userId: userExternalId }) {
  if (userExternalId === null) return null;
  const hmac = crypto.createHmac('sha256', hmacSecret).update(userExternalId).digest('base64');
  return { message: userExternalId, signature: hmac };
}

// Helpshift — Helpshift FAQ User Identity Verification, Node sample (curly quotes and the braces lost by the doc scrape
// restored; each `if` closes before the next, as in the Python and Java samples and the
// prose rule "uid, or email, or uid+email concatenated"):
//   var message = '';
//   if (uid !== null) { message = message + uid; }
//   if (email !== null) { message = message + email; }
//   var hash = crypto.createHmac('sha256', secret).update(message);
//   return hash.digest('base64');
// Note: the sample tests `!== null`, so absent fields must be null (undefined would be
// concatenated as the text "undefined"). With neither present the sample would sign '';
// the rule has nothing to sign, so we refuse.
function helpshiftSample(uid, email, secret) {
  var message = '';
  if (uid !== null) {
    message = message + uid;
  }
  if (email !== null) {
    message = message + email;
  }
  var hash = crypto.createHmac('sha256', secret).update(message);
  return { message, signature: hash.digest('base64') };
}
function helpshift(secret, { userId, email }) {
  if (userId === null && email === null) return null;
  return helpshiftSample(userId, email, secret);
}

// Helpshift, full privacy — Helpshift FAQ User Identity Verification: "If the EnableFullPrivacy flag is set to True, the HMAC
// digest for those users should be generated on the User ID only. Email should be ignored".
// Same sample, called with email = null.
function helpshiftFullPrivacy(secret, { userId }) {
  if (userId === null) return null;
  return helpshiftSample(userId, null, secret);
}

// Product Fruits — Product Fruits User identity verification, Node sample:
//   var date = new Date();  var serialisedDate = "";
//   if (expiration_minutes > 0) { date.setMinutes(...); serialisedDate = date.toJSON() }
//   var hmacData = `${username}${serialisedDate}`
//   var hmacHash = crypto.createHmac("sha256", secret).update(hmacData).digest("base64")
// (the scrape lost `.update(hmacData).digest("base64")` confirms b64 and the
// known answers below check it). Instead of now+minutes we use a fixed instant:
// `new Date(expiresAt)` — the same Date object the sample would hold — then `.toJSON()`.
function productfruits(secret, { userId: username }, expiresAt) {
  if (username === null) return null;
  var serialisedDate = '';
  if (expiresAt !== null) {
    const date = new Date(expiresAt);
    serialisedDate = date.toJSON();
  }
  var hmacData = `${username}${serialisedDate}`;
  var hmacHash = crypto.createHmac('sha256', secret).update(hmacData).digest('base64');
  return { message: hmacData, signature: hmacHash, expires: serialisedDate };
}

// Intercom identity verification — user_id if present, else email | hex
// (intercom-rails lib/intercom-rails/script_tag.rb; Intercom's Node sample is
// crypto.createHmac('sha256', secret).update(userIdentifier).digest('hex')).
function intercom(secret, { userId, email }) {
  const userIdentifier = userId !== null ? userId : email;
  if (userIdentifier === null) return null;
  return { message: userIdentifier, signature: crypto.createHmac('sha256', secret).update(userIdentifier).digest('hex') };
}

// Crisp — email | hex (crisp-plugin-wordpress crisp.php: PHP
// hash_hmac("sha256", $email, $secret), whose Node form is createHmac(...).update(email).digest('hex')).
function crisp(secret, { email }) {
  if (email === null) return null;
  return { message: email, signature: crypto.createHmac('sha256', secret).update(email).digest('hex') };
}

// Help Scout Beacon secure mode — email | hex
// (developer.helpscout.com/beacon-2/web/secure-mode, Node: createHmac('sha256', secret).update(email).digest('hex')).
function helpscout(secret, { email }) {
  if (email === null) return null;
  return { message: email, signature: crypto.createHmac('sha256', secret).update(email).digest('hex') };
}

// Front Chat — userId if passed, else email | hex (dev.frontapp.com/docs/identify-users).
function front(verificationSecret, { userId, email }) {
  const identifier = userId !== null ? userId : email;
  if (identifier === null) return null;
  return { message: identifier, signature: crypto.createHmac('sha256', verificationSecret).update(identifier).digest('hex') };
}

// Tawk.to Secure Mode — help.tawk.to "How to generate a hash for the API": the hash is the
// HMAC-SHA256 of the user ID keyed with the JavaScript API key, passed as `hash` to
// Tawk_API.login({hash, userId}) / setAttributes(). The page's Crypto.js sample is
// CryptoJS.enc.Hex.stringify(CryptoJS.HmacSHA256(userId, secretKey)): lowercase hex.
// (The Tawk_API.visitor form signs the email instead: tawk-wordpress get_visitor_hash, run
// in PHP by vendors.php for the tawkto-visitor preset.)
function tawkto(apiKey, { userId }) {
  if (userId === null) return null;
  return { message: userId, signature: crypto.createHmac('sha256', apiKey).update(userId).digest('hex') };
}

// Novu — subscriberId | hex, compared exactly (lowercase)
// (novuhq/novu apps/api/src/app/inbox/utils/encryption.ts: createHmac('sha256', key).update(subscriberId).digest('hex')).
function novu(apiKey, { userId: subscriberId }) {
  if (subscriberId === null) return null;
  return { message: subscriberId, signature: crypto.createHmac('sha256', apiKey).update(subscriberId).digest('hex') };
}

// MagicBell legacy HMAC — external id if present, else email | b64
// (magicbell-js packages/magicbell/src/crypto.ts, history).
function magicbell(apiSecret, { userId: externalId, email }) {
  const value = externalId !== null ? externalId : email;
  if (value === null) return null;
  return { message: value, signature: crypto.createHmac('sha256', apiSecret).update(value).digest('base64') };
}

// Courier legacy HMAC — userId | hex
// (trycourier/courier-react packages/client-graphql/src/client.ts).
function courier(apiKey, { userId }) {
  if (userId === null) return null;
  return { message: userId, signature: crypto.createHmac('sha256', apiKey).update(userId).digest('hex') };
}

// Chatwoot — identifier | hex, compared exactly
// (chatwoot app/controllers/api/v1/widget/contacts_controller.rb; OpenSSL::HMAC.hexdigest('sha256', key, identifier)).
function chatwoot(hmacToken, { userId: identifier }) {
  if (identifier === null) return null;
  return { message: identifier, signature: crypto.createHmac('sha256', hmacToken).update(identifier).digest('hex') };
}

// Gleap — String(userId) | hex (docs.gleap.io, enforce identity verification).
// Our ids are already strings, so String() is the identity here.
function gleap(secret, { userId }) {
  if (userId === null) return null;
  const message = String(userId);
  return { message, signature: crypto.createHmac('sha256', secret).update(message).digest('hex') };
}

// Canny — user.id | hex (developers.canny.io/install/security).
function canny(privateKey, { userId }) {
  if (userId === null) return null;
  const user = { id: userId };
  return { message: user.id, signature: crypto.createHmac('sha256', privateKey).update(user.id).digest('hex') };
}

// Plain — email | hex (plain.com/docs/chat/authentication, customerDetails.emailHash).
function plain(secret, { email }) {
  if (email === null) return null;
  return { message: email, signature: crypto.createHmac('sha256', secret).update(email).digest('hex') };
}

// Featurebase legacy — userId, else email | hex (help.featurebase.app/articles/4543540).
function featurebase(secret, { userId, email }) {
  const value = userId !== null ? userId : email;
  if (value === null) return null;
  return { message: value, signature: crypto.createHmac('sha256', secret).update(value).digest('hex') };
}

// TalkJS — github.com/talkjs/talkjs-examples (commit bfb25ca6c68acd070e067b22a50a97afd1e80c77)
// webhooks/nodejs/express-webhook/controllers/chatController.js, TalkJS's own example backend:
//   signature: crypto.createHmac("sha256", secret).update(me.id).digest("hex")
// (lower case; the docs' PHP sample upper-cases it: see vendors.php, talkjs-php.json).
function talkjs(secret, { userId }) {
  if (userId === null) return null;
  const me = { id: userId };
  return { message: me.id, signature: crypto.createHmac('sha256', secret).update(me.id).digest('hex') };
}

// Pylon — Pylon "Identity Verification", docs.usepylon.com/pylon-docs/chat-widget/identity-verification,
// Node sample ("the secret is a hex string and must be decoded to text before use"):
//   const secretBytes = Buffer.from(secret, "hex");
//   const verificationHash = createHmac("sha256", secretBytes).update(email).digest("hex");
// Its secrets come from identities.json's pylon.secrets (hex), not the shared text secrets.
function pylon(secret, { email }) {
  if (email === null) return null;
  const secretBytes = Buffer.from(secret, 'hex');
  if (secretBytes.length * 2 !== secret.length) die(`pylon: Buffer.from dropped part of ${secret}`);
  const verificationHash = crypto.createHmac('sha256', secretBytes).update(email).digest('hex');
  return { message: email, signature: verificationHash };
}

// ---------------------------------------------------------------------------------------
// Preset table: name, snippet, rule text, encoding, source citation.
// ---------------------------------------------------------------------------------------
const PRESETS = [
  ['engagespot', engagespot, 'userId', 'base64', 'Engagespot docs, HMAC Authentication (createHmac(sha256, apiSecret).update(userId, utf8), base64); github.com/Engagespot/engagespot packages/core/src/Notification.ts'],
  ['proficient', proficient, 'user external id (userId)', 'base64', 'Proficient docs, HMAC authentication (SHA-256 HMAC of the user external ID, digested with Base64)'],
  ['helpshift', helpshift, 'uid, or email, or uid+email concatenated with no separator (by which are present)', 'base64', 'Helpshift FAQ, User Identity Verification (Node sample); github.com/helpshift/helpshift-ios-sdkx-samples MockUserAuthTokenServer.swift'],
  ['helpshift-full-privacy', helpshiftFullPrivacy, 'uid only (email ignored)', 'base64', 'Helpshift FAQ, User Identity Verification (EnableFullPrivacy: User ID only; Node sample with email null)'],
  ['productfruits', productfruits, 'username (userId) + expiry text (JS Date.toJSON()), or username + "" when no expiry', 'base64', 'Product Fruits docs, User identity verification; help.productfruits.com/en/article/examples-of-backend-hmac-computation (Node sample: new Date(...).toJSON())'],
  ['intercom', intercom, 'user_id if present, else email', 'hex', 'github.com/intercom/intercom-rails lib/intercom-rails/script_tag.rb (Intercom\'s Node form: createHmac(sha256, secret).update(userIdentifier).digest(hex))'],
  ['crisp', crisp, 'email', 'hex', 'github.com/crisp-im/crisp-plugin-wordpress crisp.php (Node form of hash_hmac(sha256, email, secret))'],
  ['helpscout', helpscout, 'email', 'hex', 'Help Scout, Secure Mode; developer.helpscout.com/beacon-2/web/secure-mode (Node sample)'],
  ['front', front, 'userId if passed, else email', 'hex', 'Front, Identify users; dev.frontapp.com/docs/identify-users (Node sample)'],
  ['tawkto', tawkto, 'user ID', 'hex', 'Tawk.to, How to generate a hash for the JavaScript API; help.tawk.to/article/how-to-generate-a-hash-for-javascript-api'],
  ['novu', novu, 'subscriberId (userId)', 'hex', 'github.com/novuhq/novu apps/api/src/app/inbox/utils/encryption.ts'],
  ['magicbell', magicbell, 'external id (userId) if present, else email', 'base64', 'github.com/magicbell/magicbell-js packages/magicbell/src/crypto.ts (history)'],
  ['courier', courier, 'userId', 'hex', 'github.com/trycourier/courier-react packages/client-graphql/src/client.ts'],
  ['chatwoot', chatwoot, 'identifier (userId)', 'hex', 'github.com/chatwoot/chatwoot app/controllers/api/v1/widget/contacts_controller.rb (Node form of OpenSSL::HMAC.hexdigest)'],
  ['gleap', gleap, 'String(userId)', 'hex', 'Gleap, Enforce identity verification; docs.gleap.io/documentation/guides/enforce-identity-verification (Node sample)'],
  ['canny', canny, 'user.id (userId)', 'hex', 'Canny, Security; developers.canny.io/install/security'],
  ['plain', plain, 'email', 'hex', 'Plain, Authentication; plain.com/docs/chat/authentication'],
  ['talkjs', talkjs, 'user id', 'hex', 'github.com/talkjs/talkjs-examples webhooks/nodejs/express-webhook/controllers/chatController.js (bfb25ca6c68acd070e067b22a50a97afd1e80c77): createHmac(sha256, secret).update(me.id).digest(hex)'],
  ['featurebase', featurebase, 'userId, else email', 'hex', 'Featurebase, Set up Identity Verification; help.featurebase.app/articles/4543540-set-up-identity-verification'],
];

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------
function die(msg) {
  process.stderr.write(`gen.js: ${msg}\n`);
  process.exit(1);
}

// Strict RFC 3339 parse, used (a) to make sure V8's `new Date(text)` means the same instant
// as the RFC 3339 text (V8 accepts non-3-digit fractions as an extension) and (b) to build
// the .NET "o" text including sub-millisecond digits.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/;
function parseRFC3339(text) {
  const m = RFC3339.exec(text);
  if (!m) die(`not an RFC 3339 instant: ${JSON.stringify(text)}`);
  const frac = m[7] || '';
  const ms = Number((frac + '000').slice(0, 3));
  let epochMs = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms);
  if (m[8] !== 'Z') {
    const off = (+m[10] * 60 + +m[11]) * 60000;
    epochMs -= m[9] === '+' ? off : -off;
  }
  return { epochMs, frac };
}

function checkJsDate(expiresAt) {
  const { epochMs, frac } = parseRFC3339(expiresAt);
  if (frac.length > 3) die(`JS Date has millisecond precision; ${expiresAt} has more digits`);
  const t = new Date(expiresAt).getTime();
  if (t !== epochMs) die(`new Date(${JSON.stringify(expiresAt)}) = ${t}, RFC 3339 says ${epochMs}`);
}

function norm(v) {
  return v === undefined || v === null ? null : v;
}

function record(name, secret, ident, expiresAt, res, knownAnswer) {
  const r = {
    name,
    secret,
    userId: ident.userId === null ? '' : ident.userId,
    email: ident.email === null ? '' : ident.email,
    expires: res && res.expires ? res.expires : '',
    expiresAt: expiresAt === null ? '' : expiresAt,
  };
  if (res) {
    r.message = res.message;
    r.signature = res.signature;
  }
  if (knownAnswer) r.knownAnswer = true;
  return r;
}

function writeJSON(dir, file, obj) {
  fs.writeFileSync(path.join(dir, file), JSON.stringify(obj, null, 2) + '\n', 'utf8');
}

// ---------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------
function main() {
  const [inFile, outDir] = process.argv.slice(2);
  if (!inFile || !outDir) die('usage: node gen.js <identities.json> <outdir>');
  const input = JSON.parse(fs.readFileSync(inFile, 'utf8'));
  const secrets = input.secrets;
  const identities = input.identities.map((i) => {
    if (!(i.secret in secrets)) die(`identity ${i.name}: unknown secret ${i.secret}`);
    return { name: i.name, secret: secrets[i.secret], userId: norm(i.userId), email: norm(i.email) };
  });
  const pf = input.productfruits;
  for (const e of pf.expiries) checkJsDate(e.expiresAt);
  const kas = input.knownAnswers;

  // Known answers first: assert, exit non-zero if any snippet disagrees (the vendors' published answers).
  const byName = Object.fromEntries(PRESETS.map((p) => [p[0], p[1]]));
  const kaRecords = {};
  kas.forEach((ka, i) => {
    const fn = byName[ka.preset];
    if (!fn) die(`known answer ${i}: unknown preset ${ka.preset}`);
    const ident = { userId: norm(ka.userId), email: norm(ka.email) };
    const expiresAt = norm(ka.expiresAt);
    const res = fn(ka.secret, ident, expiresAt);
    if (!res || res.signature !== ka.signature) {
      die(`KNOWN ANSWER MISMATCH (${ka.from}): got ${res && res.signature}, want ${ka.signature}`);
    }
    (kaRecords[ka.preset] = kaRecords[ka.preset] || []).push(
      record(ka.name, ka.secret, ident, expiresAt, res, true));
  });
  // Belt and braces: the published known answers, hard-coded here independently of the
  // input file, plus the base64 form of HMAC(secret, Message).
  const hard = [
    ['intercom hex', intercom('secret', { userId: 'Message', email: null }).signature, 'aa747c502a898200f9e4fa21bac68136f886a0e27aec70ba06daf2e2a5cb5597'],
    ['HMAC(secret, Message) b64', crypto.createHmac('sha256', 'secret').update('Message').digest('base64'), 'qnR8UCqJggD55PohusaBNviGoOJ67HC6Btry4qXLVZc='],
    ['productfruits no expiry', productfruits('secret', { userId: 'testUser' }, null).signature, 'aH4d+kVRGcOVSZx0m2dxu6Uf0IRwNAqF0gv4tAeJY+0='],
    ['productfruits expiry', productfruits('secret', { userId: 'testUser' }, '2026-11-22T10:00:00.000Z').signature, 'dtrDkRUh8uJAu3PRWl7E90qVqMq/yAB6aPsseXo1w+U='],
    ['helpshift 42 + email', helpshift('secret', { userId: '42', email: 'user@example.com' }).signature, 'bFp9vqiTajIzPYoEBVWBMEdXYQuX22MEcRQwk6xbgms='],
  ];
  for (const [what, got, want] of hard) if (got !== want) die(`KNOWN ANSWER MISMATCH (hard-coded ${what}): got ${got}, want ${want}`);

  fs.mkdirSync(outDir, { recursive: true });
  for (const [preset, fn, rule, encoding, source] of PRESETS) {
    const vectors = [];
    const refused = [];
    if (preset === 'productfruits') {
      productFruitsVectors(fn, identities, pf.expiries, vectors, refused);
    } else {
      for (const id of identities) {
        const res = fn(id.secret, id, null);
        (res ? vectors : refused).push(record(id.name, id.secret, id, null, res, false));
      }
    }
    vectors.push(...(kaRecords[preset] || []));
    checkEncoding(preset, encoding, vectors);
    writeJSON(outDir, `${preset}.json`, {
      preset, source, rule, encoding, generator: 'node internal/interop/vendors/gen.js', vectors, refused,
    });
  }

  // Pylon: the vendor's hex secrets, not the shared text ones.
  {
    const vectors = [];
    const refused = [];
    let k = 0;
    for (const id of identities) {
      const secret = input.pylon.secrets[k % input.pylon.secrets.length];
      const res = pylon(secret, id);
      if (res) k++;
      (res ? vectors : refused).push(record(id.name, secret, id, null, res, false));
    }
    checkEncoding('pylon', 'hex', vectors);
    writeJSON(outDir, 'pylon.json', {
      preset: 'pylon',
      source: 'Pylon, Identity Verification; docs.usepylon.com/pylon-docs/chat-widget/identity-verification (Node sample: Buffer.from(secret, "hex"))',
      rule: 'email; key = the secret decoded from hex',
      encoding: 'hex',
      generator: 'node internal/interop/vendors/gen.js (Pylon\'s Node sample)',
      vectors,
      refused,
      refusedSecrets: input.pylon.refusedSecrets,
    });
  }
}

function productFruitsVectors(fn, identities, expiries, vectors, refused) {
  const withUser = identities.filter((id) => id.userId !== null);
  for (const id of identities) {
    const res = fn(id.secret, id, null);
    (res ? vectors : refused).push(record(id.name, id.secret, id, null, res, false));
  }
  expiries.forEach((e, i) => {
    const id = withUser[i % withUser.length];
    const res = fn(id.secret, id, e.expiresAt);
    vectors.push(record(`${id.name}+expiry-${e.name}`, id.secret, id, e.expiresAt, res, false));
  });
}

function checkEncoding(preset, encoding, vectors) {
  const re = encoding === 'hex' ? /^[0-9a-f]{64}$/ : /^[A-Za-z0-9+/]{43}=$/;
  for (const v of vectors) if (!re.test(v.signature)) die(`${preset}: ${v.name}: bad ${encoding} signature ${v.signature}`);
}

main();
